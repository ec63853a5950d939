/**
 * A unified diff of two small texts (crontabs, /etc/cron.allow), for the CLI's preview. Lines
 * are compared with their terminators, so a change of line ending or a missing final newline
 * shows up; those are marked in the output.
 */

function splitKeepingEnds(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  while (start < text.length) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline + 1;
    lines.push(text.slice(start, end));
    start = end;
  }
  return lines;
}

type Op = { readonly kind: ' ' | '-' | '+'; readonly line: string };

/** Longest common subsequence by dynamic programming: inputs here are at most a few thousand lines. */
function diffOps(a: readonly string[], b: readonly string[]): Op[] {
  // Common prefix and suffix first: a crontab change is one block.
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  const midA = a.slice(prefix, a.length - suffix);
  const midB = b.slice(prefix, b.length - suffix);
  const table: Uint32Array[] = Array.from({ length: midA.length + 1 }, () => new Uint32Array(midB.length + 1));
  for (let i = midA.length - 1; i >= 0; i--) {
    for (let j = midB.length - 1; j >= 0; j--) {
      table[i]![j] = midA[i] === midB[j] ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
    }
  }
  const ops: Op[] = a.slice(0, prefix).map((line) => ({ kind: ' ' as const, line }));
  let i = 0;
  let j = 0;
  while (i < midA.length || j < midB.length) {
    if (i < midA.length && j < midB.length && midA[i] === midB[j]) {
      ops.push({ kind: ' ', line: midA[i]! });
      i++;
      j++;
    } else if (i < midA.length && (j === midB.length || table[i + 1]![j]! >= table[i]![j + 1]!)) {
      // Removals before additions, as diff -u and git show a replaced line.
      ops.push({ kind: '-', line: midA[i]! });
      i++;
    } else {
      ops.push({ kind: '+', line: midB[j]! });
      j++;
    }
  }
  for (const line of a.slice(a.length - suffix)) ops.push({ kind: ' ', line });
  return ops;
}

function show(op: Op): string {
  let line = op.line;
  let note = '';
  if (line.endsWith('\r\n')) {
    line = line.slice(0, -2);
    note = '  ⏎ (CRLF)';
  } else if (line.endsWith('\n')) {
    line = line.slice(0, -1);
  } else {
    note = '\n\\ No newline at end of file';
  }
  return `${op.kind}${line}${note}`;
}

export function unifiedDiff(before: string, after: string, fromName: string, toName: string, context = 3): string {
  if (before === after) return '';
  const a = splitKeepingEnds(before);
  const b = splitKeepingEnds(after);
  const ops = diffOps(a, b);
  const out = [`--- ${fromName}`, `+++ ${toName}`];
  let index = 0;
  while (index < ops.length) {
    if (ops[index]!.kind === ' ') {
      index++;
      continue;
    }
    // A hunk: from `context` lines before this change to `context` lines after the last change
    // that is within 2 × context of the previous one.
    const start = Math.max(0, index - context);
    let end = index;
    while (end < ops.length) {
      let next = end;
      while (next < ops.length && ops[next]!.kind !== ' ') next++;
      let gap = next;
      while (gap < ops.length && ops[gap]!.kind === ' ') gap++;
      if (gap < ops.length && gap - next <= 2 * context) end = gap;
      else {
        end = Math.min(ops.length, next + context);
        break;
      }
    }
    const hunk = ops.slice(start, end);
    const oldStart = ops.slice(0, start).filter((op) => op.kind !== '+').length;
    const newStart = ops.slice(0, start).filter((op) => op.kind !== '-').length;
    const oldCount = hunk.filter((op) => op.kind !== '+').length;
    const newCount = hunk.filter((op) => op.kind !== '-').length;
    out.push(`@@ -${oldCount === 0 ? oldStart : oldStart + 1},${oldCount} +${newCount === 0 ? newStart : newStart + 1},${newCount} @@`);
    for (const op of hunk) out.push(show(op));
    index = end;
  }
  return `${out.join('\n')}\n`;
}
