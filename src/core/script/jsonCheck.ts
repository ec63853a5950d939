/**
 * The strict data.json check that generated sync scripts run before they call bwdc.
 *
 * Why: bwdc reads `<appdata>/data.json` with `JSON.parse(fs.readFileSync(path, 'utf8'))`. When
 * that throws, it copies the file to data.json.bak and rewrites data.json as `{}`, silently
 * dropping the admin's configuration. So a script must decide, exactly as Node would, whether
 * the file parses, and skip the instance when it does not. Servers may lack python3, jq and
 * node, so the check is written for POSIX awk (bash script, Linux and macOS) and for Windows
 * PowerShell 5.1 (no System.Text.Json there; ConvertFrom-Json is lenient, so it cannot be used).
 *
 * Both versions use the same idea, chosen so that every step is linear and needs no recursion:
 *  1. Reject raw control characters other than tab, LF and CR: they are invalid inside and
 *     outside strings. That also guarantees the placeholder characters U+0001..U+0004 used
 *     below cannot already be in the text.
 *  2. Replace each valid escape (`\" \\ \/ \b \f \n \r \t \uXXXX`) by U+0002. Matching from the
 *     left pairs backslashes exactly as a JSON lexer does; a backslash left over is an error.
 *  3. Every remaining `"` is now a string delimiter; a string body may hold anything except
 *     a backslash, tab, LF or CR. Each string becomes U+0001 (S).
 *  4. Outside strings, `true|false|null` become U+0004 (L) and numbers U+0003 (N); whitespace
 *     (space, tab, LF, CR only) is removed. Anything else left over (a BOM, `+`, `.`, a letter,
 *     a non-ASCII byte, U+0002 outside a string) makes the state machine fail.
 *  5. An explicit-stack state machine checks the grammar on what is left: `{ } [ ] : ,` and
 *     the S, N, L tokens. Two values in a row (as from `01`, `1 2` or `truefalse`) fail there.
 *
 * Node decodes invalid UTF-8 to U+FFFD and never swallows an ASCII byte into a bad sequence,
 * and every non-ASCII character is only valid inside a string, so a byte-wise check (awk under
 * LC_ALL=C) gives Node's verdict. A UTF-8 BOM is kept by readFileSync and fails like any other
 * non-ASCII byte outside a string.
 */

/**
 * The awk program: `awk -- "$JSON_CHECK_AWK" FILE` exits 0 if Node would parse FILE, 1 if not,
 * 2 if FILE cannot be read. Run it with LC_ALL=C so that it works on bytes. It must see no NUL
 * byte (some awks end a line at NUL); {@link bashJsonCheckFunction} checks for NUL first.
 *
 * Portable to mawk, the one-true-awk (macOS), gawk (also --posix) and BusyBox awk:
 * - The file is read with getline from BEGIN, so an unreadable file is a clean `exit 2` in every
 *   awk (their own "cannot open" statuses differ) and no operand is ever taken as an assignment.
 * - The work is the function check(file), and the program ends with the one line
 *   `BEGIN { exit check(ARGV[1]) }`: the unit test swaps that line for a loop, to run the very
 *   same functions on thousands of documents in one awk process per awk.
 * - Lines are cut into strings and the rest with split() on `"`, not with one regex over the
 *   whole line: split is linear everywhere, while gsub with many matches on a long (minified)
 *   line is slow in BusyBox, and mawk is very slow with a leading `-?`, so the minus sign of a
 *   number is joined to the number in a separate step.
 * - Long pieces are cut into 256-byte chunks before going character by character: substr is
 *   O(length) in the one-true-awk and BusyBox, which made a 1 MB line quadratic.
 * - Regex literals are used where possible (BusyBox compiles a dynamic regex at every use);
 *   no interval expressions `{4}`, no character classes, no `]` inside brackets.
 * - The program contains no single quote, so the bash script can quote it with `'...'`.
 */
export const JSON_CHECK_AWK = String.raw`# Exit 0 if JSON.parse(fs.readFileSync(FILE, "utf8")) in Node would succeed, 1 if it would
# throw, 2 if FILE cannot be read. Run with LC_ALL=C (bytes); FILE must hold no NUL byte.
# Placeholders (never valid raw in JSON, so never already present once step 1 passed):
# S = a whole string, E = an escape inside a string, N = a number, L = true/false/null.
# Grammar states: 0 value expected, 1 value or "]" (after "["), 2 key or "}" (after "{"),
# 3 key (after "," in an object), 4 ":" expected, 5 "," or the closing bracket, 6 done.

# Runs the state machine over s. Long pieces go in chunks: substr is O(length) in some awks.
function feed(s,    n, i, k, c) {
  n = length(s)
  if (n > 256) {
    for (k = 1; k <= n && !fail; k += 256) feed(substr(s, k, 256))
    return
  }
  for (i = 1; i <= n; i++) {
    c = substr(s, i, 1)
    if (c == S || c == N || c == L) {
      if (st == 0 || st == 1) st = (d ? 5 : 6)
      else if ((st == 2 || st == 3) && c == S) st = 4
      else { fail = 1; return }
    } else if (c == "{" || c == "[") {
      if (st == 0 || st == 1) { stk[++d] = c; st = (c == "{" ? 2 : 1) }
      else { fail = 1; return }
    } else if (c == "]") {
      if (st == 1 || (st == 5 && stk[d] == "[")) { d--; st = (d ? 5 : 6) }
      else { fail = 1; return }
    } else if (c == "}") {
      if (st == 2 || (st == 5 && stk[d] == "{")) { d--; st = (d ? 5 : 6) }
      else { fail = 1; return }
    } else if (c == ":") {
      if (st == 4) st = 0
      else { fail = 1; return }
    } else if (c == ",") {
      if (st == 5) st = (stk[d] == "{" ? 3 : 0)
      else { fail = 1; return }
    } else { fail = 1; return }
  }
}

# Text between strings: literals and numbers become L and N, whitespace goes, the rest is fed.
function scalars(q) {
  if (index(q, "t") || index(q, "f") || index(q, "n")) gsub(/true|false|null/, L, q)
  gsub(/(0|[1-9][0-9]*)([.][0-9]+)?([eE][+-]?[0-9]+)?/, N, q)
  # A minus sign belongs to the number right after it (not across whitespace: "- 1" fails).
  if (index(q, "-")) gsub(/-\003/, N, q)
  gsub(/[ \t\r]+/, "", q)
  feed(q)
}

# Long text between strings is cut at commas first, so that each gsub sees a short piece.
function outside(s,    m, j) {
  if (length(s) <= 512) { scalars(s); return }
  m = split(s, Q, ",")
  for (j = 1; j <= m && !fail; j++) {
    if (j > 1) feed(",")
    scalars(Q[j])
  }
}

# Checks one file: 0 if Node would parse it, 1 if not, 2 if it cannot be read.
function check(f,    r, line, n, k) {
  S = sprintf("%c", 1); E = sprintf("%c", 2); N = sprintf("%c", 3); L = sprintf("%c", 4)
  # Used only on lines with a backslash, as a string: a "/" inside a regex literal bracket
  # is read differently by different awks.
  esc = "\\\\([\"\\\\/bfnrt]|u[0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f])"
  st = 0; d = 0; fail = 0
  # LF is whitespace, and no valid string holds a raw LF, so reading line by line is exact.
  while ((r = (getline line < f)) > 0) {
    # 1. Control characters other than tab and CR are invalid everywhere.
    if (line ~ /[\001-\010\013\014\016-\037]/) { fail = 1; break }
    # 2. Valid escapes become E, pairing backslashes from the left as a JSON lexer does.
    if (index(line, "\\")) gsub(esc, E, line)
    # 3. Every quote left is a delimiter: odd pieces are outside strings, even ones inside.
    # An empty line splits into no pieces at all, which is fine; otherwise a line with an
    # odd number of quotes (an even number of pieces) has an unterminated string.
    n = split(line, P, "\"")
    if (n > 0 && n % 2 == 0) { fail = 1; break }
    for (k = 1; k <= n && !fail; k++) {
      if (k % 2) outside(P[k])
      else if (P[k] ~ /[\\\t\r]/) fail = 1
      else feed(S)
    }
    if (fail) break
  }
  close(f)
  if (r < 0) return 2
  # Exactly one complete top-level value: an empty or blank file ends in state 0.
  if (fail || st != 6) return 1
  return 0
}

BEGIN { exit check(ARGV[1]) }
`;

/**
 * The bash function `json_ok FILE`: status 0 if Node would parse FILE, 1 if not, 2 if FILE
 * could not be checked (missing, not a regular file, unreadable, or awk failed). Works in
 * bash 3.2 (macOS) and in POSIX sh, with `set -u` and `set -o pipefail`; its commands are in
 * `if` conditions so that `set -e` in a caller cannot stop it halfway.
 */
export function bashJsonCheckFunction(): string {
  if (JSON_CHECK_AWK.includes("'")) {
    // Cannot happen (a unit test checks it); guards the single-quoted embedding below.
    throw new Error('the awk program must not contain a single quote');
  }
  return [
    '# json_ok FILE: status 0 if Node would parse FILE the way bwdc reads data.json',
    '# (JSON.parse(fs.readFileSync(FILE, "utf8"))), 1 if not (bwdc would then replace it with {}),',
    '# 2 if FILE could not be checked. Needs only tr, cmp and awk, all POSIX; LC_ALL=C makes',
    '# them work on bytes.',
    'json_ok() {',
    '  local file=${1-} status',
    '  # A name such as "-" would mean standard input to awk.',
    '  case $file in',
    '    /*) ;;',
    '    *) file=./$file ;;',
    '  esac',
    '  if [ ! -f "$file" ] || [ ! -r "$file" ]; then',
    '    return 2',
    '  fi',
    '  # A NUL byte is never valid JSON, and awks differ in how they read one: decide it here.',
    '  if LC_ALL=C tr -d \'\\000\' < "$file" | LC_ALL=C cmp -s - "$file"; then',
    '    :',
    '  else',
    '    status=$?',
    '    if [ "$status" -eq 1 ]; then return 1; fi',
    '    return 2',
    '  fi',
    "  if LC_ALL=C awk -- '",
    JSON_CHECK_AWK.replace(/\n$/, ''),
    '\' "$file"; then',
    '    return 0',
    '  else',
    '    status=$?',
    '  fi',
    '  if [ "$status" -eq 1 ]; then return 1; fi',
    '  return 2',
    '}',
  ].join('\n');
}

/**
 * The PowerShell 5.1 function `Test-StrictJson [string]$Path`: $true only if Node's
 * `JSON.parse(fs.readFileSync(Path, 'utf8'))` would succeed. The same steps as the awk
 * program, on the decoded text, with .NET regular expressions; then the same state machine.
 * Written for `Set-StrictMode -Version Latest`, without aliases or pipelines, and with no
 * syntax newer than PowerShell 5.1. The regular expressions are .NET ones: case-sensitive
 * unless asked otherwise (PowerShell's -match and -replace are not, so they are not used).
 */
export const POWERSHELL_JSON_CHECK = [
  '# Test-StrictJson PATH: $true only if Node would parse the file the way bwdc reads data.json',
  '# (JSON.parse(fs.readFileSync(PATH, "utf8"))). bwdc replaces a file it cannot parse with {},',
  '# and ConvertFrom-Json accepts things Node rejects, so the check is done here by hand.',
  'function Test-StrictJson {',
  '  [CmdletBinding()]',
  '  [OutputType([bool])]',
  '  param([string]$Path)',
  '',
  '  if ([string]::IsNullOrEmpty($Path)) { return $false }',
  '  try {',
  '    # .NET resolves a relative path against the process directory, not the PowerShell',
  '    # location; resolve it as PowerShell would (no wildcards) before reading.',
  '    $fullPath = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path)',
  '    $bytes = [System.IO.File]::ReadAllBytes($fullPath)',
  '  } catch {',
  "    Write-Verbose -Message ('Test-StrictJson: cannot read {0}: {1}' -f $Path, $_.Exception.Message)",
  '    return $false',
  '  }',
  '',
  '  # readFileSync keeps a UTF-8 byte order mark as U+FEFF, and JSON.parse rejects it.',
  '  if ($bytes.Length -ge 3 -and $bytes[0] -eq 0xEF -and $bytes[1] -eq 0xBB -and $bytes[2] -eq 0xBF) {',
  '    return $false',
  '  }',
  '',
  '  # Decode as Node does: UTF-8, invalid bytes become U+FFFD (throwOnInvalidBytes = $false).',
  '  # GetString never strips a BOM (only StreamReader does), but one was rejected above anyway.',
  '  $utf8 = New-Object -TypeName System.Text.UTF8Encoding -ArgumentList $false, $false',
  '  $text = $utf8.GetString($bytes)',
  '',
  '  # 1. Raw control characters other than tab, LF and CR (NUL included) are invalid inside',
  '  #    and outside strings. This also means the placeholders U+0001..U+0004 used below are',
  '  #    not in the text yet.',
  "  $controlPattern = '[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F]'",
  '  if ([System.Text.RegularExpressions.Regex]::IsMatch($text, $controlPattern)) { return $false }',
  '',
  '  # 2. Each valid escape becomes U+0002. Matching from the left pairs backslashes exactly as',
  '  #    a JSON lexer does; any backslash left over is an error (caught in step 3 or 5).',
  "  $escapePattern = '\\\\(?:[\"\\\\/bfnrt]|u[0-9A-Fa-f]{4})'",
  '  $text = [System.Text.RegularExpressions.Regex]::Replace($text, $escapePattern, [string][char]2)',
  '',
  '  # 3. Each string becomes U+0001. Its body may hold anything but a quote, a backslash, tab,',
  '  #    LF or CR; non-ASCII, U+FFFD, U+007F and lone surrogates are fine. A quote that does',
  '  #    not start a valid string is left in the text and fails in step 5.',
  '  $stringPattern = \'"[^"\\\\\\t\\n\\r]*"\'',
  '  $text = [System.Text.RegularExpressions.Regex]::Replace($text, $stringPattern, [string][char]1)',
  '',
  '  # 4. Literals become U+0004, numbers U+0003, and whitespace (these four only) goes.',
  '  #    [0-9] and not \\d, which would also match non-ASCII digits.',
  "  $literalPattern = 'true|false|null'",
  '  $text = [System.Text.RegularExpressions.Regex]::Replace($text, $literalPattern, [string][char]4)',
  "  $numberPattern = '-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?'",
  '  $text = [System.Text.RegularExpressions.Regex]::Replace($text, $numberPattern, [string][char]3)',
  "  $whitespacePattern = '[ \\t\\n\\r]+'",
  "  $text = [System.Text.RegularExpressions.Regex]::Replace($text, $whitespacePattern, '')",
  '',
  '  # 5. The grammar, with an explicit stack (no recursion, so deep nesting is fine).',
  '  #    The stack holds $true for an object and $false for an array. States: 0 value expected,',
  '  #    1 value or "]", 2 key or "}", 3 key, 4 ":", 5 "," or the closing bracket, 6 done.',
  '  #    Anything else left over (a BOM, "+", ".", a letter, U+0002 outside a string, any',
  '  #    non-ASCII character outside a string) fails in the last branch.',
  "  $stack = New-Object -TypeName 'System.Collections.Generic.Stack[bool]'",
  '  $state = 0',
  '  foreach ($character in $text.ToCharArray()) {',
  '    $code = [int]$character',
  '    if ($code -eq 1 -or $code -eq 3 -or $code -eq 4) {',
  '      if ($state -eq 0 -or $state -eq 1) {',
  '        if ($stack.Count -gt 0) { $state = 5 } else { $state = 6 }',
  '      } elseif (($state -eq 2 -or $state -eq 3) -and $code -eq 1) {',
  '        $state = 4',
  '      } else {',
  '        return $false',
  '      }',
  '    } elseif ($code -eq 123 -or $code -eq 91) {',
  '      # "{" or "["',
  '      if ($state -ne 0 -and $state -ne 1) { return $false }',
  '      $stack.Push($code -eq 123)',
  '      if ($code -eq 123) { $state = 2 } else { $state = 1 }',
  '    } elseif ($code -eq 125 -or $code -eq 93) {',
  '      # "}" or "]": closes an empty container, or one after a value.',
  '      $closesObject = ($code -eq 125)',
  '      if ($closesObject) { $emptyState = 2 } else { $emptyState = 1 }',
  '      if (-not ($state -eq $emptyState -or ($state -eq 5 -and $stack.Peek() -eq $closesObject))) {',
  '        return $false',
  '      }',
  '      [void]$stack.Pop()',
  '      if ($stack.Count -gt 0) { $state = 5 } else { $state = 6 }',
  '    } elseif ($code -eq 58) {',
  '      # ":"',
  '      if ($state -ne 4) { return $false }',
  '      $state = 0',
  '    } elseif ($code -eq 44) {',
  '      # ","',
  '      if ($state -ne 5) { return $false }',
  '      if ($stack.Peek()) { $state = 3 } else { $state = 0 }',
  '    } else {',
  '      return $false',
  '    }',
  '  }',
  '  # Exactly one complete top-level value; an empty or blank file ends in state 0.',
  '  return ($state -eq 6)',
  '}',
].join('\n');
