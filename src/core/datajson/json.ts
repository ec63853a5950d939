import { createScanner, ParseErrorCode, ScanError, SyntaxKind, type Node, type NodeType } from 'jsonc-parser';

/**
 * A strict JSON reader for data.json: exact offsets, the problems that make Node's JSON.parse
 * (and so bwdc) reject the text, and a syntax tree shaped like jsonc-parser's own `Node`.
 *
 * Text that JSON.parse accepts is read by {@link shallowTree}, which reads an object only when
 * a check asks for it. Anything else goes through jsonc-parser's scanner in {@link scanJson},
 * which finds every comment and trailing comma and the first real error.
 *
 * Why not jsonc-parser's `parseTree`: it recurses once per nesting level (a 5,000-deep file
 * overflows the stack) and builds a node for every value (a dense 1 MB file takes over 100 ms).
 * Neither reader here recurses, and both build nodes only where settings can sit; the rest is
 * still checked, by JSON.parse or token by token.
 */

export interface JsonNode extends Node {
  readonly type: NodeType;
  value?: string | number | boolean | null;
  readonly offset: number;
  length: number;
  colonOffset?: number;
  readonly parent?: JsonNode;
  /**
   * Properties of an object, [key, value] of a property; absent for arrays. Read them with
   * {@link childrenOf}: objects of valid text are read when first asked for, and the token
   * reader leaves out objects deeper than settings sit.
   */
  children?: JsonNode[];
}

export type JsonProblemKind = 'syntax' | 'comment' | 'trailing-comma' | 'bom';

export interface JsonProblem {
  readonly kind: JsonProblemKind;
  readonly offset: number;
  readonly length: number;
  /** For 'syntax': what the reader expected or found. */
  readonly error?: ParseErrorCode;
}

export interface ParsedJson {
  /** The top-level value; partial (open containers end at the end of the text) when the text is broken. */
  readonly root?: JsonNode;
  /** Comments, trailing commas and a byte order mark (all reported, reading goes on), then at most one 'syntax' problem, where reading stopped. */
  readonly problems: readonly JsonProblem[];
}

/**
 * The token reader gives objects at this depth or less (the top level is 0) child nodes: L2
 * `<account>.directoryConfigurations.ldap.hostname` is the deepest setting. Arrays never get
 * any (see {@link arrayStrings}).
 */
const OBJECT_CHILD_DEPTH = 3;

/** Reads data.json text: valid JSON the fast way, anything else token by token for exact problems. */
export function parseJson(text: string): ParsedJson {
  let valid: boolean;
  try {
    JSON.parse(text);
    valid = true;
  } catch {
    valid = false;
  }
  return valid ? { root: shallowTree(text), problems: [] } : scanJson(text);
}

const enum Expect {
  Value,
  ValueOrClose,
  KeyOrClose,
  Key,
  Colon,
  CommaOrClose,
  End,
}

interface Frame {
  /** The container's node, when it has one. */
  readonly node: JsonNode | undefined;
  readonly isObject: boolean;
  /** Whether values inside get nodes. */
  readonly build: boolean;
  /** The property being read in an object that builds. */
  property: JsonNode | undefined;
}

/**
 * Reads the text token by token with jsonc-parser's scanner: every comment, trailing comma
 * and byte order mark, then the first error, where reading stops. Exact, but about five times
 * slower than JSON.parse; {@link parseJson} uses it only for text JSON.parse rejects.
 */
export function scanJson(text: string): ParsedJson {
  const problems: JsonProblem[] = [];
  const scanner = createScanner(text, false);
  if (text.charCodeAt(0) === 0xfeff) {
    problems.push({ kind: 'bom', offset: 0, length: 1 });
    scanner.setPosition(1);
  }
  const frames: Frame[] = [];
  let root: JsonNode | undefined;
  let expect = Expect.Value as Expect;
  /** Offset of the comma just read, while the next token may turn it into a trailing comma. */
  let comma = -1;

  const fail = (error: ParseErrorCode, offset: number, length: number): void => {
    problems.push({ kind: 'syntax', offset, length, error });
    // Whatever was open runs to the end of the text.
    for (const frame of frames) {
      if (frame.node) frame.node.length = text.length - frame.node.offset;
      if (frame.property) frame.property.length = text.length - frame.property.offset;
    }
  };

  /** A value starts here: a node for it when its container builds (or it is the top level). */
  const newNode = (type: NodeType, offset: number, length: number, value: string | number | boolean | null | undefined): JsonNode | undefined => {
    const frame = frames[frames.length - 1];
    if (frame && !frame.build) return undefined;
    const parent = frame ? (frame.isObject ? frame.property : frame.node) : undefined;
    const node = makeNode(type, offset, length, value, parent);
    if (parent) parent.children!.push(node);
    else root = node;
    return node;
  };

  const building = (): boolean => frames.length === 0 || frames[frames.length - 1]!.build;

  /** A value ended at `end`: its property ends too, and the container expects a comma or its end. */
  const valueDone = (end: number): void => {
    const frame = frames[frames.length - 1];
    if (!frame) {
      expect = Expect.End;
      return;
    }
    if (frame.property) {
      frame.property.length = end - frame.property.offset;
      frame.property = undefined;
    }
    expect = Expect.CommaOrClose;
  };

  const open = (isObject: boolean, offset: number): void => {
    const node = newNode(isObject ? 'object' : 'array', offset, 1, undefined);
    const build = node !== undefined && isObject && frames.length <= OBJECT_CHILD_DEPTH;
    if (build) node.children = [];
    frames.push({ node, isObject, build, property: undefined });
    expect = isObject ? Expect.KeyOrClose : Expect.ValueOrClose;
  };

  const close = (offset: number): void => {
    const frame = frames.pop()!;
    if (frame.node) frame.node.length = offset + 1 - frame.node.offset;
    valueDone(offset + 1);
  };

  for (;;) {
    const token = scanner.scan();
    const offset = scanner.getTokenOffset();
    const length = scanner.getTokenLength();
    if (token === SyntaxKind.Trivia || token === SyntaxKind.LineBreakTrivia) continue;
    if (token === SyntaxKind.LineCommentTrivia || token === SyntaxKind.BlockCommentTrivia) {
      problems.push({ kind: 'comment', offset, length });
      continue;
    }
    if (token === SyntaxKind.Unknown) {
      fail(ParseErrorCode.InvalidSymbol, offset, length);
      break;
    }
    if (token === SyntaxKind.StringLiteral || token === SyntaxKind.NumericLiteral) {
      const scanError = scanner.getTokenError();
      if (scanError !== ScanError.None) {
        fail(scanErrorCode(scanError), offset, length);
        break;
      }
    }
    const trailingComma = comma;
    comma = -1;

    if (expect === Expect.Colon) {
      if (token !== SyntaxKind.ColonToken) {
        fail(ParseErrorCode.ColonExpected, offset, length);
        break;
      }
      const property = frames[frames.length - 1]!.property;
      if (property) property.colonOffset = offset;
      expect = Expect.Value;
      continue;
    }

    if (expect === Expect.KeyOrClose || expect === Expect.Key) {
      if (token === SyntaxKind.StringLiteral) {
        const frame = frames[frames.length - 1]!;
        if (frame.build) {
          const property = makeNode('property', offset, length, undefined, frame.node);
          property.children = [makeNode('string', offset, length, scanner.getTokenValue(), property)];
          frame.node!.children!.push(property);
          frame.property = property;
        }
        expect = Expect.Colon;
        continue;
      }
      if (token === SyntaxKind.CloseBraceToken) {
        if (expect === Expect.Key) problems.push({ kind: 'trailing-comma', offset: trailingComma, length: 1 });
        close(offset);
        continue;
      }
      fail(token === SyntaxKind.EOF && expect === Expect.KeyOrClose ? ParseErrorCode.CloseBraceExpected : ParseErrorCode.PropertyNameExpected, offset, length);
      break;
    }

    if (expect === Expect.CommaOrClose) {
      const frame = frames[frames.length - 1]!;
      if (token === SyntaxKind.CommaToken) {
        comma = offset;
        expect = frame.isObject ? Expect.Key : Expect.Value;
        continue;
      }
      if (token === (frame.isObject ? SyntaxKind.CloseBraceToken : SyntaxKind.CloseBracketToken)) {
        close(offset);
        continue;
      }
      const closer = token === SyntaxKind.EOF || token === SyntaxKind.CloseBraceToken || token === SyntaxKind.CloseBracketToken;
      fail(closer ? (frame.isObject ? ParseErrorCode.CloseBraceExpected : ParseErrorCode.CloseBracketExpected) : ParseErrorCode.CommaExpected, offset, length);
      break;
    }

    if (expect === Expect.End) {
      if (token === SyntaxKind.EOF) break;
      fail(ParseErrorCode.EndOfFileExpected, offset, length);
      break;
    }

    // Expect.Value or Expect.ValueOrClose
    if (
      token === SyntaxKind.CloseBracketToken &&
      frames.length > 0 &&
      !frames[frames.length - 1]!.isObject &&
      (expect === Expect.ValueOrClose || trailingComma >= 0)
    ) {
      if (expect === Expect.Value) problems.push({ kind: 'trailing-comma', offset: trailingComma, length: 1 });
      close(offset);
      continue;
    }
    switch (token) {
      case SyntaxKind.OpenBraceToken:
        open(true, offset);
        continue;
      case SyntaxKind.OpenBracketToken:
        open(false, offset);
        continue;
      case SyntaxKind.StringLiteral:
        if (building()) newNode('string', offset, length, scanner.getTokenValue());
        valueDone(offset + length);
        continue;
      case SyntaxKind.NumericLiteral:
        if (building()) newNode('number', offset, length, Number(scanner.getTokenValue()));
        valueDone(offset + length);
        continue;
      case SyntaxKind.TrueKeyword:
      case SyntaxKind.FalseKeyword:
        newNode('boolean', offset, length, token === SyntaxKind.TrueKeyword);
        valueDone(offset + length);
        continue;
      case SyntaxKind.NullKeyword:
        newNode('null', offset, length, null);
        valueDone(offset + length);
        continue;
    }
    fail(ParseErrorCode.ValueExpected, offset, length);
    break;
  }
  return root ? { root, problems } : { problems };
}

/**
 * The tree of text that JSON.parse accepts, read lazily: an object's members are read the
 * first time they are asked for ({@link childrenOf}), and everything else is skipped by
 * bracket matching and by searching for closing quotes. Checking a 1 MB file reads only the
 * few objects where settings live; recursion never goes deeper than one object.
 */
export function shallowTree(text: string): JsonNode {
  return new ShallowReader(text, 0).value(undefined);
}

/** Unread objects of valid text, and that text. */
const unread = new WeakMap<JsonNode, string>();

class ShallowReader {
  constructor(
    private readonly text: string,
    private pos: number,
  ) {}

  /** The value at the reading position; objects are left unread. */
  value(parent: JsonNode | undefined): JsonNode {
    const text = this.text;
    this.skipSpace();
    const start = this.pos;
    const code = text.charCodeAt(start);
    if (code === 123 /* { */ || code === 91 /* [ */) {
      this.pos = matchingClose(text, start) + 1;
      const node = makeNode(code === 123 ? 'object' : 'array', start, this.pos - start, undefined, parent);
      if (code === 123) unread.set(node, text);
      return node;
    }
    if (code === 34 /* " */) {
      this.pos = stringEnd(text, start) + 1;
      return makeNode('string', start, this.pos - start, stringValue(text, start, this.pos), parent);
    }
    if (code === 116 /* t */ || code === 102 /* f */) {
      this.pos += code === 116 ? 4 : 5;
      return makeNode('boolean', start, this.pos - start, code === 116, parent);
    }
    if (code === 110 /* n */) {
      this.pos += 4;
      return makeNode('null', start, 4, null, parent);
    }
    NUMBER.lastIndex = start;
    NUMBER.test(text);
    this.pos = NUMBER.lastIndex;
    return makeNode('number', start, this.pos - start, Number(text.slice(start, this.pos)), parent);
  }

  /** Reads the members of an object node whose `{` is at the reading position. */
  members(object: JsonNode): JsonNode[] {
    const text = this.text;
    const children: JsonNode[] = [];
    this.pos++;
    this.skipSpace();
    if (text.charCodeAt(this.pos) === 125 /* } */) return children;
    for (;;) {
      this.skipSpace();
      const keyStart = this.pos;
      this.pos = stringEnd(text, keyStart) + 1;
      const property = makeNode('property', keyStart, 0, undefined, object);
      property.children = [makeNode('string', keyStart, this.pos - keyStart, stringValue(text, keyStart, this.pos), property)];
      this.skipSpace();
      property.colonOffset = this.pos++;
      property.children.push(this.value(property));
      property.length = this.pos - keyStart;
      children.push(property);
      this.skipSpace();
      if (text.charCodeAt(this.pos++) !== 44 /* , */) return children;
    }
  }

  private skipSpace(): void {
    for (;;) {
      const code = this.text.charCodeAt(this.pos);
      if (code === 32 || code === 10 || code === 13 || code === 9) this.pos++;
      else return;
    }
  }
}

/** The members of an object node (read now if it was left unread), the [key, value] of a property; undefined otherwise. */
export function childrenOf(node: JsonNode): JsonNode[] | undefined {
  if (!node.children) {
    const text = unread.get(node);
    if (text !== undefined) {
      unread.delete(node);
      node.children = new ShallowReader(text, node.offset).members(node);
    }
  }
  return node.children;
}

const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const BRACKET_OR_QUOTE = /["[\]{}]/g;

/** Offset of the quote that closes the string opening at `start` (valid JSON). */
function stringEnd(text: string, start: number): number {
  let quote = start;
  for (;;) {
    quote = text.indexOf('"', quote + 1);
    if (quote < 0) return text.length - 1;
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === 92) backslashes++;
    if (backslashes % 2 === 0) return quote;
  }
}

function stringValue(text: string, start: number, end: number): string {
  const raw = text.slice(start + 1, end - 1);
  return raw.includes('\\') ? (JSON.parse(text.slice(start, end)) as string) : raw;
}

/** Offset of the bracket that closes the container opening at `start` (valid JSON). */
function matchingClose(text: string, start: number): number {
  let depth = 0;
  BRACKET_OR_QUOTE.lastIndex = start;
  for (let match = BRACKET_OR_QUOTE.exec(text); match; match = BRACKET_OR_QUOTE.exec(text)) {
    const code = text.charCodeAt(match.index);
    if (code === 34) BRACKET_OR_QUOTE.lastIndex = stringEnd(text, match.index) + 1;
    else if (code === 123 || code === 91) depth++;
    else if (--depth === 0) return match.index;
  }
  return text.length - 1;
}

/** The strings in an array node (`authenticatedAccounts`), read from its text; none when it is broken. */
export function arrayStrings(text: string, node: JsonNode | undefined): string[] {
  if (node?.type !== 'array') return [];
  try {
    const value: unknown = JSON.parse(text.slice(node.offset, node.offset + node.length));
    return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
  } catch {
    return [];
  }
}

/** Every node has the same shape, which keeps property access fast on big files. */
function makeNode(type: NodeType, offset: number, length: number, value: string | number | boolean | null | undefined, parent: JsonNode | undefined): JsonNode {
  return { type, value, offset, length, colonOffset: undefined, parent, children: undefined };
}

function scanErrorCode(error: ScanError): ParseErrorCode {
  switch (error) {
    case ScanError.InvalidUnicode:
      return ParseErrorCode.InvalidUnicode;
    case ScanError.InvalidEscapeCharacter:
      return ParseErrorCode.InvalidEscapeCharacter;
    case ScanError.UnexpectedEndOfNumber:
      return ParseErrorCode.UnexpectedEndOfNumber;
    case ScanError.UnexpectedEndOfComment:
      return ParseErrorCode.UnexpectedEndOfComment;
    case ScanError.UnexpectedEndOfString:
      return ParseErrorCode.UnexpectedEndOfString;
    case ScanError.InvalidCharacter:
      return ParseErrorCode.InvalidCharacter;
    default:
      return ParseErrorCode.InvalidSymbol;
  }
}

/** The last property named `key` of an object node (JSON.parse, and so bwdc, keeps the last duplicate). */
export function property(object: JsonNode | undefined, key: string): JsonNode | undefined {
  if (!object || object.type !== 'object' || !childrenOf(object)) return undefined;
  return membersOf(object).get(key);
}

const members = new WeakMap<JsonNode, Map<string, JsonNode>>();

function membersOf(object: JsonNode): Map<string, JsonNode> {
  let map = members.get(object);
  if (!map) {
    map = new Map();
    for (const child of object.children ?? []) {
      const key = child.children?.[0]?.value;
      if (typeof key === 'string') map.set(key, child);
    }
    members.set(object, map);
  }
  return map;
}

/** The key node of a property. */
export function keyOf(propertyNode: JsonNode): JsonNode {
  return propertyNode.children![0]!;
}

/** The value node of a property; undefined when the text ends before it. */
export function valueOf(propertyNode: JsonNode | undefined): JsonNode | undefined {
  return propertyNode?.children?.[1];
}

/** The value node of `object[key]`. */
export function member(object: JsonNode | undefined, key: string): JsonNode | undefined {
  return valueOf(property(object, key));
}
