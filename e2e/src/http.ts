/** A response as the tests look at it: status, content type and parsed JSON body. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test bodies are inspected field by field
export interface JsonResponse<T = any> {
  status: number;
  contentType: string;
  body: T;
}

/** Sends a request with a 10 s budget; `raw` bodies are sent as they are (for malformed JSON). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see JsonResponse
export async function call<T = any>(
  url: string,
  options: { method?: string; token?: string; json?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.json !== undefined) body = JSON.stringify(options.json);
  if (options.raw !== undefined) body = options.raw;
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  const response = await fetch(url, { method: options.method ?? (body === undefined ? 'GET' : 'POST'), headers, body, signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text so the failing assertion shows it
  }
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: parsed as T };
}

/** Ids of the live instances of `service`, as the gateway at `gateway` lists them to an admin (sorted). */
export async function instanceIds(gateway: string, service: string, adminToken: string): Promise<string[]> {
  const response = await call<{ service: string; instances: { id: string }[] }[]>(`${gateway}/api/_platform/services`, { token: adminToken });
  if (response.status !== 200) throw new Error(`GET /api/_platform/services answered ${response.status}: ${JSON.stringify(response.body)}`);
  return (response.body.find((s) => s.service === service)?.instances ?? []).map((i) => i.id).sort();
}
