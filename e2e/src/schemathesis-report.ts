/** One request schemathesis sent and what came back, from its NDJSON event report. */
export interface FuzzInteraction {
  caseId: string;
  /** The operation as the document names it: `POST /api/identity/login`. */
  operation: string;
  /** The request as sent (the method may differ from the operation's, e.g. in "unspecified method" cases). */
  method: string;
  uri: string;
  /** The request body as sent, decoded as UTF-8 (empty when there was none). */
  body: string;
  status: number;
  contentType: string;
  /** The response body as received, decoded as UTF-8. */
  responseBody: string;
}

/** One check that did not pass, with the request that failed it. */
export interface FuzzFailure {
  check: string;
  /** schemathesis' code and title, e.g. `ST101 Server error`. */
  title: string;
  message: string;
  operation: string;
  request: string;
}

/** What a schemathesis run generated, received and flagged. */
export interface FuzzReport {
  /** Distinct generated test cases (every phase). */
  cases: number;
  /** Labels of the operations that got at least one case. */
  operations: Set<string>;
  interactions: FuzzInteraction[];
  failures: FuzzFailure[];
  /** Checks run, by name, with how often each passed. */
  passedChecks: Map<string, number>;
  /** What kept schemathesis from testing an operation (`NonFatalError` events): an untested operation is no pass. */
  errors: string[];
}

interface Recorder {
  label: string;
  cases?: Record<string, { value: { method: string; path: string } }>;
  checks?: Record<string, { name: string; status: string; failure_info?: { failure?: { code?: string; title?: string; message?: string } } }[]>;
  interactions?: Record<string, { request: { method: string; uri: string; body?: Encoded }; response?: { status_code: number; headers: Record<string, string[]>; content?: Encoded } }>;
}

type Encoded = { $base64: string } | { string: string } | string;

/**
 * Reads schemathesis' NDJSON report (`--report ndjson`): one JSON event per line, where every
 * `ScenarioFinished` event carries its recorder with the cases, checks and request/response pairs.
 */
export function parseFuzzReport(ndjson: string): FuzzReport {
  const report: FuzzReport = { cases: 0, operations: new Set(), interactions: [], failures: [], passedChecks: new Map(), errors: [] };
  const seen = new Set<string>();
  for (const line of ndjson.split('\n')) {
    if (line.startsWith('{"NonFatalError"')) {
      const error = (JSON.parse(line) as { NonFatalError: { label: string; phase?: string; value: { type: string; message: string } } }).NonFatalError;
      report.errors.push(`${error.label} (${error.phase ?? 'no phase'}): ${error.value.type}: ${error.value.message}`);
    }
    if (!line.startsWith('{"ScenarioFinished"')) continue;
    const recorder = (JSON.parse(line) as { ScenarioFinished: { recorder: Recorder } }).ScenarioFinished.recorder;
    const ids = Object.keys(recorder.cases ?? {});
    ids.forEach((id) => seen.add(id));
    if (ids.length > 0) report.operations.add(recorder.label);
    for (const [id, interaction] of Object.entries(recorder.interactions ?? {})) {
      const response = interaction.response;
      if (!response) continue;
      report.interactions.push({
        caseId: id,
        operation: recorder.label,
        method: interaction.request.method,
        uri: interaction.request.uri,
        body: decode(interaction.request.body),
        status: response.status_code,
        contentType: header(response.headers, 'content-type'),
        responseBody: decode(response.content),
      });
    }
    for (const [id, checks] of Object.entries(recorder.checks ?? {})) {
      for (const check of checks) {
        if (check.status === 'success') {
          report.passedChecks.set(check.name, (report.passedChecks.get(check.name) ?? 0) + 1);
          continue;
        }
        const failure = check.failure_info?.failure ?? {};
        const request = recorder.interactions?.[id]?.request;
        report.failures.push({
          check: check.name,
          title: `${failure.code ?? check.status} ${failure.title ?? check.name}`,
          message: failure.message ?? '',
          operation: recorder.label,
          request: request ? `${request.method} ${request.uri.slice(0, 300)} ${decode(request.body).slice(0, 300)}`.trim() : `case ${id}`,
        });
      }
    }
  }
  report.cases = seen.size;
  return report;
}

function header(headers: Record<string, string[]>, name: string): string {
  const entry = Object.entries(headers).find(([key]) => key.toLowerCase() === name);
  return entry?.[1][0] ?? '';
}

function decode(value: Encoded | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  if ('$base64' in value) return Buffer.from(value.$base64, 'base64').toString('utf8');
  return value.string;
}
