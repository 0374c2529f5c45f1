/**
 * hpm-lsp: a Language Server for haproxy.cfg over a message connection (stdio for editors).
 * Diagnostics as you type (both readers, rule ids, links to the rule pages), formatting (whole
 * document and range), quick fixes for every `hpm-lint --fix` fix plus "fix all", hover and
 * completion (from the keyword catalogue, for the targeted version), document symbols and go to
 * definition of program names.
 */
import {
  CodeActionKind,
  TextDocumentSyncKind,
  TextDocuments,
  type CodeAction,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { complete } from './completion.js';
import { editsTo, formatDocument } from './formatting.js';
import { hover } from './hover.js';
import { fixedText, lintDocument, targetedVersion, type DiagnosticData, type LintSettings } from './lint.js';
import { definition, documentSymbols } from './outline.js';

/** Lint this long after the last keystroke: typing stays smooth on large files. */
const LINT_DELAY_MS = 200;

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.hpm`;

export function startServer(connection: Connection, version: string): void {
  const documents = new TextDocuments(TextDocument);
  const pending = new Map<string, NodeJS.Timeout>();
  let settings: LintSettings = {};

  const publish = (document: TextDocument) => {
    try {
      void connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics: lintDocument(document, settings) });
    } catch (error) {
      connection.console.error(`hpm-lsp: linting ${document.uri} failed: ${(error as Error).stack ?? error}`);
    }
  };
  const schedule = (document: TextDocument, delay: number) => {
    clearTimeout(pending.get(document.uri));
    pending.set(
      document.uri,
      setTimeout(() => {
        pending.delete(document.uri);
        const current = documents.get(document.uri);
        if (current) publish(current);
      }, delay),
    );
  };

  connection.onInitialize((params): InitializeResult => {
    settings = lintSettingsFrom(params.initializationOptions);
    return {
      serverInfo: { name: 'hpm-lsp', version },
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        documentFormattingProvider: true,
        documentRangeFormattingProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['.', ' ', '('] },
        documentSymbolProvider: true,
        definitionProvider: true,
      },
    };
  });
  connection.onDidChangeConfiguration((change) => {
    const hpm = (change.settings as { hpm?: unknown } | null)?.hpm;
    if (hpm !== undefined) settings = lintSettingsFrom(hpm);
    for (const document of documents.all()) schedule(document, 0);
  });

  documents.onDidOpen(({ document }) => schedule(document, 0));
  documents.onDidChangeContent(({ document }) => schedule(document, LINT_DELAY_MS));
  documents.onDidClose(({ document }) => {
    clearTimeout(pending.get(document.uri));
    pending.delete(document.uri);
    void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
  });

  const withDocument = <T>(uri: string, fallback: T, use: (document: TextDocument) => T): T => {
    const document = documents.get(uri);
    return document ? use(document) : fallback;
  };

  connection.onDocumentFormatting(({ textDocument }) => withDocument(textDocument.uri, Promise.resolve([]), (d) => formatDocument(d)));
  connection.onDocumentRangeFormatting(({ textDocument, range }) => withDocument(textDocument.uri, Promise.resolve([]), (d) => formatDocument(d, range)));
  connection.onHover(({ textDocument, position }) => withDocument(textDocument.uri, null, (d) => hover(d, position, targetedVersion(d, settings))));
  connection.onCompletion(({ textDocument, position }) => withDocument(textDocument.uri, [], (d) => complete(d, position, targetedVersion(d, settings))));
  connection.onDocumentSymbol(({ textDocument }) => withDocument(textDocument.uri, [], (d) => documentSymbols(d)));
  connection.onDefinition(({ textDocument, position }) => withDocument(textDocument.uri, [], (d) => definition(d, position)));

  connection.onCodeAction(({ textDocument, context }) =>
    withDocument(textDocument.uri, [] as CodeAction[], (document) => {
      const only = context.only;
      const wants = (kind: string) => !only || only.some((k) => kind === k || kind.startsWith(`${k}.`));
      const actions: CodeAction[] = [];
      if (wants(CodeActionKind.QuickFix)) {
        for (const diagnostic of context.diagnostics) {
          const fix = (diagnostic.data as DiagnosticData | undefined)?.fix;
          if (!fix || diagnostic.source !== 'hpm-lint') continue;
          actions.push({
            title: `Fix: ${String(diagnostic.message).split("\n")[0]} (${diagnostic.code})`,
            kind: CodeActionKind.QuickFix,
            diagnostics: [diagnostic],
            isPreferred: true,
            edit: { changes: { [document.uri]: [{ range: { start: document.positionAt(fix.range[0]), end: document.positionAt(fix.range[1]) }, newText: fix.text }] } },
          });
        }
      }
      const fixable = context.diagnostics.some((d) => (d.data as DiagnosticData | undefined)?.fix);
      if (wants(FIX_ALL_KIND) && (fixable || only)) {
        const fixed = fixedText(document, settings);
        if (fixed !== undefined) actions.push({ title: 'Fix all hpm-lint problems that have a safe fix', kind: FIX_ALL_KIND, edit: { changes: { [document.uri]: editsTo(document, fixed) } } });
      }
      return actions;
    }),
  );

  documents.listen(connection);
  connection.listen();
}

function lintSettingsFrom(value: unknown): LintSettings {
  if (typeof value !== 'object' || value === null) return {};
  const v = value as Record<string, unknown>;
  const out: LintSettings = {};
  if (typeof v.haproxyVersion === 'string') out.haproxyVersion = v.haproxyVersion;
  if (typeof v.masterWorker === 'boolean') out.masterWorker = v.masterWorker;
  if (typeof v.hostChecks === 'boolean') out.hostChecks = v.hostChecks;
  if (Array.isArray(v.defines)) out.defines = v.defines.filter((d): d is string => typeof d === 'string');
  return out;
}
