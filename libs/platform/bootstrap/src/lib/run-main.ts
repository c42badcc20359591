import { ConfigError } from '@nestkit/config';

/**
 * Runs a service's `main` when its file is executed directly. A configuration error prints only its
 * message (which names each bad key) and exits with code 78 (EX_CONFIG); anything else prints the
 * error and exits with 1.
 */
export function runMain(main: () => Promise<unknown>): void {
  main().catch((error: unknown) => {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
