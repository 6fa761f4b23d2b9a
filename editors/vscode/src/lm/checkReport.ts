// `grounded check --format json` output → the text an AI assistant reads.
// Pure.

export interface CheckDiagnostic {
  path: string;
  line: number;
  column: number;
  severity: string;
  code: string;
  message: string;
  symbol?: string | null;
  suggestions?: string[];
}

export interface CheckReport {
  version: number;
  diagnostics: CheckDiagnostic[];
}

export function parseCheckReport(stdout: string): CheckReport {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    throw new Error('grounded check did not print a JSON report');
  }
  const r = parsed as Partial<CheckReport> | null;
  if (!r || !Array.isArray(r.diagnostics)) throw new Error('grounded check printed JSON without diagnostics');
  return { version: r.version ?? 1, diagnostics: r.diagnostics };
}

/** The findings as lines of text, with lines and columns counted in the snippet. */
export function describeFindings(diagnostics: CheckDiagnostic[]): string {
  if (diagnostics.length === 0) {
    return 'No problems found: every module, name and attribute Grounded could verify exists.';
  }
  const n = diagnostics.length;
  const lines = [`${n} problem${n === 1 ? '' : 's'} in the code (lines and columns counted in the code given):`];
  for (const d of diagnostics) {
    const suggestions = d.suggestions?.length ? ` (did you mean ${d.suggestions.map((s) => `\`${s}\``).join(' or ')}?)` : '';
    lines.push(`line ${d.line}, column ${d.column}: ${d.severity}[${d.code}] ${d.message}${suggestions}`);
  }
  return lines.join('\n');
}
