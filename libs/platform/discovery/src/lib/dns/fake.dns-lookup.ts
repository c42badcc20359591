import type { DnsLookup } from './dns-lookup';
import type { SrvAnswer } from './dns-records';

/** A DNS error as `node:dns` raises it, with its `code`. */
export function dnsError(code: string): Error {
  return Object.assign(new Error(`query failed: ${code}`), { code });
}

/** A {@link DnsLookup} answering from maps the test edits; a name that is missing fails with `ENOTFOUND`. */
export class FakeDnsLookup implements DnsLookup {
  readonly srvRecords = new Map<string, SrvAnswer[] | Error>();
  readonly addressRecords = new Map<string, string[] | Error>();
  queries = 0;
  cancelled = false;

  async srv(name: string): Promise<SrvAnswer[]> {
    return this.answer(this.srvRecords.get(name));
  }

  async addresses(name: string, family: 4 | 6): Promise<string[]> {
    return this.answer(this.addressRecords.get(`${name}/${family}`) ?? this.addressRecords.get(name));
  }

  cancel(): void {
    this.cancelled = true;
  }

  private answer<T>(answer: T | Error | undefined): T {
    this.queries++;
    if (answer === undefined) throw dnsError('ENOTFOUND');
    if (answer instanceof Error) throw answer;
    return answer;
  }
}
