import { spawn, spawnSync, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

/**
 * The tests' own OpenLDAP server: Debian's `slapd` with its own slapd.conf and data folder in a
 * temp folder, listening on ldap://127.0.0.1:<free port> only, seeded (slapadd, before it
 * starts) with a small tree whose import by bwdc is known exactly. It never reads or changes
 * the system's slapd configuration or data (/etc/ldap/slapd.d, /var/lib/ldap) and never uses a
 * system slapd. Packages `slapd` and `ldap-utils` are installed when missing.
 *
 * "Disabled": bwdc's LDAP directory service (identical in 2026.4.0 and 2026.6.1) has one notion
 * of a disabled user, Active Directory's `userAccountControl` with bit 0x2 (ACCOUNTDISABLE) set;
 * it reads that attribute whatever the `ad` setting, and plain LDAP has no disabled notion of its
 * own. OpenLDAP's schemas lack the attribute, so the server loads a two-line schema that
 * defines it under AD's own OID, and the disabled user carries `userAccountControl: 514`
 * (NORMAL_ACCOUNT | ACCOUNTDISABLE), as AD shows a disabled account.
 */

export interface SeededUser {
  readonly dn: string;
  readonly uid: string;
  /** The `mail` value stored in LDAP. */
  readonly mail: string;
  /** What bwdc makes of it: trimmed and lower-cased. */
  readonly email: string;
  readonly disabled: boolean;
}

export interface SeededGroup {
  readonly dn: string;
  readonly name: string;
  /** DNs of the member users (bwdc's externalIds for users outside Active Directory). */
  readonly memberDns: readonly string[];
}

export interface Slapd {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly baseDn: string;
  /** A read-only service account bwdc binds as (not the rootdn; the server has none). */
  readonly bindDn: string;
  readonly bindPassword: string;
  /** Users with a mail address, sorted by email: exactly the users bwdc reads. */
  readonly users: readonly SeededUser[];
  /** An inetOrgPerson without `mail`, which bwdc skips without a word. */
  readonly userWithoutMail: string;
  /** Groups sorted by name, each with its member users. */
  readonly groups: readonly SeededGroup[];
  /** The sync settings that point bwdc at this tree (objectClass, paths, attributes). */
  readonly syncPaths: {
    readonly userPath: string;
    readonly groupPath: string;
    readonly userObjectClass: string;
    readonly groupObjectClass: string;
    readonly userEmailAttribute: string;
    readonly groupNameAttribute: string;
    readonly memberAttribute: string;
  };
  stop(): Promise<void>;
}

const SLAPD = '/usr/sbin/slapd';
const SLAPADD = '/usr/sbin/slapadd';
const LDAPWHOAMI = '/usr/bin/ldapwhoami';
const SCHEMA_DIR = '/etc/ldap/schema';
const MODULE_DIR = '/usr/lib/ldap';

const BASE_DN = 'dc=bwdc-schedule,dc=test';
const PEOPLE = `ou=people,${BASE_DN}`;
const GROUPS = `ou=groups,${BASE_DN}`;
const BIND_DN = `cn=bwdc-reader,ou=services,${BASE_DN}`;

const USERS: readonly SeededUser[] = [
  { dn: `uid=alice,${PEOPLE}`, uid: 'alice', mail: 'alice@bwdc-schedule.test', email: 'alice@bwdc-schedule.test', disabled: false },
  { dn: `uid=bob,${PEOPLE}`, uid: 'bob', mail: 'bob@bwdc-schedule.test', email: 'bob@bwdc-schedule.test', disabled: false },
  { dn: `uid=carol,${PEOPLE}`, uid: 'carol', mail: 'Carol.Jones@BWDC-Schedule.test', email: 'carol.jones@bwdc-schedule.test', disabled: true },
  { dn: `uid=dave,${PEOPLE}`, uid: 'dave', mail: 'dave@bwdc-schedule.test', email: 'dave@bwdc-schedule.test', disabled: false },
];
const USER_WITHOUT_MAIL = `uid=erin,${PEOPLE}`;
const GROUP_LIST: readonly SeededGroup[] = [
  { dn: `cn=Engineering,${GROUPS}`, name: 'Engineering', memberDns: [`uid=alice,${PEOPLE}`, `uid=carol,${PEOPLE}`] },
  { dn: `cn=Sales,${GROUPS}`, name: 'Sales', memberDns: [`uid=bob,${PEOPLE}`, `uid=dave,${PEOPLE}`] },
];

/** AD's userAccountControl (OID 1.2.840.113556.1.4.8) and an auxiliary class that allows it. */
const AD_FLAGS_SCHEMA = `# Active Directory's account flags, for a disabled user bwdc recognises (bit 0x2).
attributetype ( 1.2.840.113556.1.4.8 NAME 'userAccountControl'
  DESC 'Active Directory account flags; 0x2 = ACCOUNTDISABLE'
  EQUALITY integerMatch
  SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 SINGLE-VALUE )
# 1.3.6.1.4.1.32473 is the documentation enterprise number (RFC 5612).
objectclass ( 1.3.6.1.4.1.32473.1.1 NAME 'bwdcTestAccountFlags'
  DESC 'bwdc-schedule tests: carries userAccountControl'
  SUP top AUXILIARY MAY userAccountControl )
`;

function seedLdif(bindPassword: string): string {
  const entries: string[] = [
    `dn: ${BASE_DN}\nobjectClass: dcObject\nobjectClass: organization\ndc: bwdc-schedule\no: bwdc Schedule tests`,
    `dn: ou=people,${BASE_DN}\nobjectClass: organizationalUnit\nou: people`,
    `dn: ou=groups,${BASE_DN}\nobjectClass: organizationalUnit\nou: groups`,
    `dn: ou=services,${BASE_DN}\nobjectClass: organizationalUnit\nou: services`,
    `dn: ${BIND_DN}\nobjectClass: applicationProcess\nobjectClass: simpleSecurityObject\ncn: bwdc-reader\nuserPassword: ${bindPassword}`,
  ];
  for (const user of USERS) {
    // Values of one attribute on adjacent lines (slapadd takes only the last run of them).
    // userAccountControl 512 = NORMAL_ACCOUNT; 514 = NORMAL_ACCOUNT | ACCOUNTDISABLE.
    entries.push(
      [
        `dn: ${user.dn}`,
        'objectClass: inetOrgPerson',
        'objectClass: bwdcTestAccountFlags',
        `uid: ${user.uid}`,
        `cn: ${user.uid}`,
        `sn: ${user.uid}`,
        `mail: ${user.mail}`,
        `userAccountControl: ${user.disabled ? 514 : 512}`,
      ].join('\n'),
    );
  }
  entries.push(`dn: ${USER_WITHOUT_MAIL}\nobjectClass: inetOrgPerson\nuid: erin\ncn: erin\nsn: erin`);
  for (const group of GROUP_LIST) {
    entries.push([`dn: ${group.dn}`, 'objectClass: groupOfNames', `cn: ${group.name}`, ...group.memberDns.map((member) => `member: ${member}`)].join('\n'));
  }
  return `${entries.join('\n\n')}\n`;
}

function slapdConf(dir: string): string {
  return [
    ...['core', 'cosine', 'inetorgperson', 'nis'].map((schema) => `include ${SCHEMA_DIR}/${schema}.schema`),
    `include ${path.join(dir, 'ad-flags.schema')}`,
    `pidfile ${path.join(dir, 'slapd.pid')}`,
    `argsfile ${path.join(dir, 'slapd.args')}`,
    `modulepath ${MODULE_DIR}`,
    'moduleload back_mdb',
    // Passwords: the service account binds; nobody reads userPassword.
    'access to attrs=userPassword by anonymous auth by * none',
    `access to * by dn.exact="${BIND_DN}" read by * none`,
    'database mdb',
    'maxsize 16777216',
    `suffix "${BASE_DN}"`,
    `directory ${path.join(dir, 'data')}`,
    'index objectClass eq',
    '',
  ].join('\n');
}

function run(command: string, args: readonly string[]): { status: number | null; output: string } {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.error) return { status: null, output: String(result.error) };
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function slapdPids(): number[] {
  const found = spawnSync('pgrep', ['-x', 'slapd'], { encoding: 'utf8' });
  return (found.stdout ?? '')
    .split('\n')
    .filter((line) => /^\d+$/.test(line))
    .map(Number);
}

/**
 * Installs `slapd` and `ldap-utils` when missing, without letting the package configure or
 * start a system instance: debconf is told `slapd/no_configuration` (so no system database is
 * created) and, unless the machine already has one, a temporary /usr/sbin/policy-rc.d forbids
 * service starts during the install. A slapd the install started anyway is stopped by pid.
 */
export function ensureSlapdInstalled(): void {
  if (fs.existsSync(SLAPD) && fs.existsSync(SLAPADD) && fs.existsSync(LDAPWHOAMI)) return;
  const asRoot = process.getuid?.() === 0 ? [] : ['sudo', '-n'];
  if (asRoot.length > 0 && run('sudo', ['-n', 'true']).status !== 0) {
    throw new Error('slapd and ldap-utils are missing and installing them needs root or passwordless sudo: sudo apt-get install -y slapd ldap-utils');
  }
  const sh = (script: string): { status: number | null; output: string } =>
    asRoot.length > 0 ? run('sudo', ['-n', 'sh', '-c', script]) : run('sh', ['-c', script]);
  const before = new Set(slapdPids());
  const policy = '/usr/sbin/policy-rc.d';
  const ownPolicy = !fs.existsSync(policy);
  if (ownPolicy) sh(`printf '#!/bin/sh\\n# bwdc-schedule tests: no service starts while slapd installs\\nexit 101\\n' > ${policy} && chmod 755 ${policy}`);
  try {
    sh("echo 'slapd slapd/no_configuration boolean true' | debconf-set-selections");
    const install = sh(
      'export DEBIAN_FRONTEND=noninteractive; apt-get install -y -qq --no-install-recommends slapd ldap-utils || { apt-get update -qq && apt-get install -y -qq --no-install-recommends slapd ldap-utils; }',
    );
    if (install.status !== 0) throw new Error(`apt-get install slapd ldap-utils failed:\n${install.output}`);
  } finally {
    if (ownPolicy) sh(`rm -f ${policy}`);
  }
  for (const pid of slapdPids()) {
    if (!before.has(pid)) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
    }
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Starts the tests' own slapd (see the file comment); stop() kills it and removes its folder. */
export async function startSlapd(): Promise<Slapd> {
  ensureSlapdInstalled();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bwdc-slapd-'));
  const bindPassword = `reader-${Math.random().toString(36).slice(2)}`;
  fs.mkdirSync(path.join(dir, 'data'));
  fs.writeFileSync(path.join(dir, 'ad-flags.schema'), AD_FLAGS_SCHEMA);
  fs.writeFileSync(path.join(dir, 'slapd.conf'), slapdConf(dir));
  fs.writeFileSync(path.join(dir, 'seed.ldif'), seedLdif(bindPassword));
  // For ldapwhoami -y: the whole file is the password, so no newline.
  fs.writeFileSync(path.join(dir, 'bind-password'), bindPassword, { mode: 0o600 });
  const conf = path.join(dir, 'slapd.conf');
  const seeded = run(SLAPADD, ['-q', '-f', conf, '-l', path.join(dir, 'seed.ldif')]);
  if (seeded.status !== 0) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`slapadd failed:\n${seeded.output}`);
  }

  let child: ChildProcess | undefined;
  let port = 0;
  let log = '';
  for (let attempt = 0; attempt < 5 && !child; attempt++) {
    port = await freePort();
    // -d 0: stay in the foreground (a child these tests own), no debug output.
    const started = spawn(SLAPD, ['-d', '0', '-f', conf, '-h', `ldap://127.0.0.1:${port}/`], { stdio: ['ignore', 'pipe', 'pipe'] });
    started.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    started.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && started.exitCode === null) {
      const probe = run(LDAPWHOAMI, ['-x', '-H', `ldap://127.0.0.1:${port}/`, '-D', BIND_DN, '-y', path.join(dir, 'bind-password')]);
      if (probe.status === 0) {
        child = started;
        break;
      }
      await sleep(100);
    }
    if (!child) {
      started.kill('SIGKILL');
      await waitForExit(started, 5_000);
    }
  }
  if (!child) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`slapd did not start on 127.0.0.1:\n${log}`);
  }

  const running = child;
  const killOnExit = (): void => {
    running.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  const host = '127.0.0.1';
  return {
    url: `ldap://${host}:${port}`,
    host,
    port,
    baseDn: BASE_DN,
    bindDn: BIND_DN,
    bindPassword,
    users: [...USERS].sort((a, b) => a.email.localeCompare(b.email)),
    userWithoutMail: USER_WITHOUT_MAIL,
    groups: [...GROUP_LIST].sort((a, b) => a.name.localeCompare(b.name)),
    syncPaths: {
      userPath: 'ou=people',
      groupPath: 'ou=groups',
      userObjectClass: 'inetOrgPerson',
      groupObjectClass: 'groupOfNames',
      userEmailAttribute: 'mail',
      groupNameAttribute: 'cn',
      memberAttribute: 'member',
    },
    async stop(): Promise<void> {
      process.removeListener('exit', killOnExit);
      running.kill('SIGTERM');
      if (!(await waitForExit(running, 10_000))) {
        running.kill('SIGKILL');
        await waitForExit(running, 5_000);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
