/** A complete upstream response, whatever its status; the body is fully read. */
export class HttpResponse {
  constructor(
    readonly status: number,
    /** Lower-case names, `set-cookie` excepted; hop-by-hop headers removed so the response can be relayed. */
    readonly headers: Readonly<Record<string, string>>,
    readonly body: Buffer,
    /** The id of the instance that answered, for logs and metrics. */
    readonly instanceId: string,
    /** `set-cookie` values, one per cookie: they cannot be joined into one header like the others. */
    readonly setCookies: readonly string[] = [],
  ) {}

  /** Parses the body as JSON; throws `SyntaxError` when it is not. */
  json<T = unknown>(): T {
    return JSON.parse(this.body.toString('utf8')) as T;
  }
}
