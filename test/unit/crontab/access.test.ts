import * as assert from 'assert';
import {
  addToAllow,
  ALLOW_FILE,
  cronAccess,
  DENY_FILE,
  listsUser,
  planAccess,
  removeFromDeny,
  type AccessFiles,
  type AccessVerdict,
} from '../../../src/core/crontab/access';
import { readJsonFixture } from './support';

interface DebianCase {
  readonly name: string;
  readonly allow: string | null;
  readonly deny: string | null;
  readonly allowed: boolean;
}

const USER = 'bwdc';
/** What crontab(1) of Debian cron 3.0pl1-162 decided for each allow/deny content, run for real. */
const DEBIAN = readJsonFixture<{ cases: DebianCase[] }>('debian-access.json').cases;

function filesOf(c: DebianCase, user = USER): AccessFiles {
  const fill = (content: string): string => content.split('{user}').join(user).split('{USER}').join(user.toUpperCase());
  return { ...(c.allow === null ? {} : { allow: fill(c.allow) }), ...(c.deny === null ? {} : { deny: fill(c.deny) }) };
}

/** The reason cronAccess must give, from which file exists and what Debian decided. */
function expectedVerdict(c: DebianCase): AccessVerdict {
  if (c.allow !== null) return c.allowed ? { allowed: true, why: 'listed-in-allow' } : { allowed: false, why: 'not-in-allow' };
  if (c.deny !== null) return c.allowed ? { allowed: true, why: 'not-in-deny' } : { allowed: false, why: 'listed-in-deny' };
  return { allowed: true, why: 'no-files' };
}

/** The files after a plan's edits. */
function applied(files: AccessFiles, edits: readonly { readonly file: string; readonly after: string }[]): AccessFiles {
  let result = files;
  for (const edit of edits) result = edit.file === ALLOW_FILE ? { ...result, allow: edit.after } : { ...result, deny: edit.after };
  return result;
}

describe('cron.allow and cron.deny', () => {
  describe("cronAccess against Debian's crontab(1), observed", () => {
    it('covers every combination of the two files', () => {
      const kinds = new Set(
        DEBIAN.map(
          (c) =>
            `${c.allow === null ? 'no allow' : c.allow === '' ? 'empty allow' : 'allow'}/${c.deny === null ? 'no deny' : c.deny === '' ? 'empty deny' : 'deny'}`,
        ),
      );
      assert.deepStrictEqual([...kinds].sort(), [
        'allow/deny',
        'allow/no deny',
        'empty allow/deny',
        'empty allow/no deny',
        'no allow/deny',
        'no allow/empty deny',
        'no allow/no deny',
      ]);
    });

    for (const c of DEBIAN) {
      it(`${c.allowed ? 'lets the user in' : 'keeps the user out'} with ${c.name}`, () => {
        assert.deepStrictEqual(cronAccess(USER, filesOf(c)), expectedVerdict(c));
      });
    }
  });

  describe('cronAccess', () => {
    const everyFile: readonly AccessFiles[] = [{}, { allow: '' }, { deny: 'root\n' }, { allow: 'alice\n', deny: 'root\n' }, { allow: '', deny: '' }];
    for (const files of everyFile) {
      it(`always lets root in (${JSON.stringify(files)})`, () => {
        assert.deepStrictEqual(cronAccess('root', files), { allowed: true, why: 'root' });
      });
    }

    it('treats only the exact name root as root', () => {
      for (const user of ['Root', 'root ', 'toor', 'root\n'])
        assert.deepStrictEqual(cronAccess(user, { allow: '' }), { allowed: false, why: 'not-in-allow' }, JSON.stringify(user));
    });

    it('lets everyone in when neither file exists (Debian, unlike cronie)', () => {
      assert.deepStrictEqual(cronAccess('alice', {}), { allowed: true, why: 'no-files' });
    });

    it('ignores the deny file when an allow file exists, even an empty one', () => {
      assert.deepStrictEqual(cronAccess('alice', { allow: 'alice\n', deny: 'alice\n' }), { allowed: true, why: 'listed-in-allow' });
      assert.deepStrictEqual(cronAccess('bob', { allow: '', deny: '' }), { allowed: false, why: 'not-in-allow' });
    });
  });

  describe('listsUser (in_file: each fgets line without its last character, compared exactly)', () => {
    const table: readonly { readonly content: string; readonly user: string; readonly listed: boolean }[] = [
      { content: '', user: 'alice', listed: false },
      { content: 'alice\n', user: 'alice', listed: true },
      { content: 'bob\nalice\ncarol\n', user: 'alice', listed: true },
      { content: 'alice', user: 'alice', listed: false },
      { content: 'alicex', user: 'alice', listed: true },
      { content: 'alice\n', user: 'alic', listed: false },
      { content: 'alice\n', user: 'alice\n', listed: false },
      { content: ' alice\n', user: 'alice', listed: false },
      { content: 'alice \n', user: 'alice', listed: false },
      { content: 'alice\t\n', user: 'alice', listed: false },
      { content: 'alice\r\n', user: 'alice', listed: false },
      { content: 'alice\r\n', user: 'alice\r', listed: true },
      { content: '# alice\n', user: 'alice', listed: false },
      { content: 'alice # me\n', user: 'alice', listed: false },
      { content: 'ALICE\n', user: 'alice', listed: false },
      { content: 'alice.b\n', user: 'alice', listed: false },
      { content: 'a.ice\n', user: 'alice', listed: false },
      { content: '\n\n\nalice\n\n', user: 'alice', listed: true },
      { content: `${'a'.repeat(999)}alice\n`, user: 'alice', listed: true },
      { content: `${'a'.repeat(998)}alice\n`, user: 'alice', listed: false },
      { content: `${'a'.repeat(999)}\n`, user: 'a'.repeat(998), listed: true },
      { content: `${'a'.repeat(1998)}alice\n`, user: 'alice', listed: true },
    ];
    for (const { content, user, listed } of table) {
      it(`${listed ? 'finds' : 'does not find'} ${JSON.stringify(user)} in ${JSON.stringify(content.length > 60 ? `${content.slice(0, 20)}…(${content.length} characters)` : content)}`, () => {
        assert.strictEqual(listsUser(content, user), listed);
      });
    }
  });

  describe('addToAllow', () => {
    const additions: readonly { readonly what: string; readonly before: string; readonly after: string; readonly notes: readonly string[] }[] = [
      { what: 'an empty file', before: '', after: 'alice\n', notes: [] },
      { what: 'a file ending in a newline', before: 'root\nbob\n', after: 'root\nbob\nalice\n', notes: [] },
      {
        what: 'comments, blanks and odd lines, kept byte for byte',
        before: '# who may use cron\n\n bob \ncarol\r\n',
        after: '# who may use cron\n\n bob \ncarol\r\nalice\n',
        notes: [],
      },
      {
        what: 'a file without a final newline',
        before: 'root\nbob',
        after: 'root\nbob\nalice\n',
        notes: ["The last line of /etc/cron.allow, 'bob', has no newline, so cron reads it as 'bo'. Adding a line ends it, so 'bob' will be allowed too."],
      },
      {
        what: 'a file whose unterminated last line is the user (cron reads it as alic)',
        before: 'alice',
        after: 'alice\nalice\n',
        notes: [
          "The last line of /etc/cron.allow, 'alice', has no newline, so cron reads it as 'alic'. Adding a line ends it, so 'alice' will be allowed too.",
        ],
      },
      { what: 'a CRLF file', before: 'root\r\nbob\r\n', after: 'root\r\nbob\r\nalice\n', notes: [] },
    ];
    for (const { what, before, after, notes } of additions) {
      it(`appends the user to ${what}`, () => {
        assert.deepStrictEqual(addToAllow(before, 'alice'), { file: ALLOW_FILE, before, after, notes });
      });
    }

    for (const c of DEBIAN.filter((d) => d.allow !== null)) {
      it(`lets the user in when added to an allow file with ${c.name}`, () => {
        const files = filesOf(c);
        const edit = addToAllow(files.allow!, USER);
        assert.ok(edit.after.startsWith(files.allow!), 'keeps every byte that was there');
        assert.deepStrictEqual(cronAccess(USER, { ...files, allow: edit.after }), { allowed: true, why: 'listed-in-allow' });
      });
    }
  });

  describe('removeFromDeny', () => {
    const removals: readonly { readonly what: string; readonly before: string; readonly after: string }[] = [
      { what: 'an empty file', before: '', after: '' },
      { what: 'the only line', before: 'alice\n', after: '' },
      { what: 'a line between others', before: 'guest\nalice\nnobody\n', after: 'guest\nnobody\n' },
      { what: 'every line that denies the user', before: 'alice\nguest\nalice\n', after: 'guest\n' },
      { what: 'an unterminated last line that cron reads as the user', before: 'guest\nalicex', after: 'guest\n' },
      { what: 'nothing when the unterminated last line is the user (cron reads alic)', before: 'guest\nalice', after: 'guest\nalice' },
      {
        what: 'nothing else: near misses and CRLF neighbours stay byte for byte',
        before: '# alice\r\n alice\nalice \nalice\r\nALICE\nalice2\nalic\n\nalice\nnobody\r\n',
        after: '# alice\r\n alice\nalice \nalice\r\nALICE\nalice2\nalic\n\nnobody\r\n',
      },
    ];
    for (const { what, before, after } of removals) {
      it(`removes ${what}`, () => {
        assert.deepStrictEqual(removeFromDeny(before, 'alice'), { file: DENY_FILE, before, after, notes: [] });
      });
    }
  });

  describe('planAccess', () => {
    const plans: readonly { readonly what: string; readonly user: string; readonly files: AccessFiles; readonly plan: ReturnType<typeof planAccess> }[] = [
      { what: 'neither file', user: 'alice', files: {}, plan: { verdict: { allowed: true, why: 'no-files' }, edits: [] } },
      {
        what: 'an allow file listing the user',
        user: 'alice',
        files: { allow: 'alice\n' },
        plan: { verdict: { allowed: true, why: 'listed-in-allow' }, edits: [] },
      },
      {
        what: 'an allow file without the user',
        user: 'alice',
        files: { allow: 'bob\n' },
        plan: { verdict: { allowed: false, why: 'not-in-allow' }, edits: [{ file: ALLOW_FILE, before: 'bob\n', after: 'bob\nalice\n', notes: [] }] },
      },
      {
        what: 'an empty allow file',
        user: 'alice',
        files: { allow: '' },
        plan: { verdict: { allowed: false, why: 'not-in-allow' }, edits: [{ file: ALLOW_FILE, before: '', after: 'alice\n', notes: [] }] },
      },
      {
        what: 'an allow file without the user and a deny file listing it (only the allow file counts)',
        user: 'alice',
        files: { allow: 'bob\n', deny: 'alice\n' },
        plan: { verdict: { allowed: false, why: 'not-in-allow' }, edits: [{ file: ALLOW_FILE, before: 'bob\n', after: 'bob\nalice\n', notes: [] }] },
      },
      {
        what: 'both files listing the user',
        user: 'alice',
        files: { allow: 'alice\n', deny: 'alice\n' },
        plan: { verdict: { allowed: true, why: 'listed-in-allow' }, edits: [] },
      },
      {
        what: 'a deny file listing the user',
        user: 'alice',
        files: { deny: 'guest\nalice\n' },
        plan: { verdict: { allowed: false, why: 'listed-in-deny' }, edits: [{ file: DENY_FILE, before: 'guest\nalice\n', after: 'guest\n', notes: [] }] },
      },
      { what: 'a deny file without the user', user: 'alice', files: { deny: 'guest\n' }, plan: { verdict: { allowed: true, why: 'not-in-deny' }, edits: [] } },
      { what: 'an empty deny file', user: 'alice', files: { deny: '' }, plan: { verdict: { allowed: true, why: 'not-in-deny' }, edits: [] } },
      { what: 'root and an empty allow file', user: 'root', files: { allow: '' }, plan: { verdict: { allowed: true, why: 'root' }, edits: [] } },
      { what: 'root listed in the deny file', user: 'root', files: { deny: 'root\n' }, plan: { verdict: { allowed: true, why: 'root' }, edits: [] } },
    ];
    for (const { what, user, files, plan } of plans) {
      it(`plans for ${what}`, () => {
        assert.deepStrictEqual(planAccess(user, files), plan);
      });
    }

    it('never plans to create an allow file', () => {
      for (const files of [{}, { deny: 'alice\n' }, { deny: '' }] as AccessFiles[]) {
        assert.ok(
          planAccess('alice', files).edits.every((edit) => edit.file !== ALLOW_FILE),
          JSON.stringify(files),
        );
      }
    });

    const denyContents: readonly { readonly what: string; readonly deny: string }[] = [
      { what: 'the user on its own line', deny: 'bwdc\n' },
      { what: 'the user twice', deny: 'bwdc\nguest\nbwdc\n' },
      { what: 'the user plus one character, unterminated', deny: 'guest\nbwdcx' },
      { what: 'the user on the second fgets piece of a 999-character line', deny: `${'a'.repeat(999)}bwdc\n` },
    ];
    for (const { what, deny } of denyContents) {
      it(`plans edits that let the user in when the deny file has ${what}`, () => {
        const plan = planAccess(USER, { deny });
        assert.deepStrictEqual(plan.verdict, { allowed: false, why: 'listed-in-deny' });
        assert.deepStrictEqual(cronAccess(USER, applied({ deny }, plan.edits)), { allowed: true, why: 'not-in-deny' });
      });
    }

    for (const c of DEBIAN) {
      it(`plans edits after which Debian would let the user in, for ${c.name}`, () => {
        const files = filesOf(c);
        const plan = planAccess(USER, files);
        assert.strictEqual(plan.verdict.allowed, c.allowed, "the plan starts from Debian's verdict");
        assert.strictEqual(cronAccess(USER, applied(files, plan.edits)).allowed, true);
      });
    }
  });
});
