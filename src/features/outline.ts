import vscode = require('vscode');
import { foldingSpans, outline, type OutlineSymbol } from '../core/schedule/outline';
import { SCHEDULE_SELECTOR, toRange } from '../editor/convert';

const DIRECTIVE_KINDS: Record<string, vscode.SymbolKind> = {
  schedule: vscode.SymbolKind.Event,
  instance: vscode.SymbolKind.Package,
  secret: vscode.SymbolKind.Key,
  env: vscode.SymbolKind.Variable,
  name: vscode.SymbolKind.String,
};

function toSymbol(symbol: OutlineSymbol): vscode.DocumentSymbol {
  const kind = symbol.kind === 'section' ? vscode.SymbolKind.Namespace : (DIRECTIVE_KINDS[symbol.key ?? ''] ?? vscode.SymbolKind.Property);
  const result = new vscode.DocumentSymbol(symbol.name, symbol.detail, kind, toRange(symbol.range), toRange(symbol.selectionRange));
  result.children = symbol.children.map(toSymbol);
  return result;
}

/** The outline (`##` comments open sections) and folding of comment blocks, regions and sections. */
export function registerOutline(): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.languages.registerDocumentSymbolProvider(SCHEDULE_SELECTOR, {
      provideDocumentSymbols: (document) => outline(document.getText()).map(toSymbol),
    }),
    vscode.languages.registerFoldingRangeProvider(SCHEDULE_SELECTOR, {
      provideFoldingRanges: (document) =>
        foldingSpans(document.getText()).map(
          (span) =>
            new vscode.FoldingRange(
              span.startLine,
              span.endLine,
              span.kind === 'comment' ? vscode.FoldingRangeKind.Comment : span.kind === 'region' ? vscode.FoldingRangeKind.Region : undefined,
            ),
        ),
    }),
  );
}
