// Prints the argon2id hash of a service client secret, for the `secretHash` field of SERVICE_CLIENTS:
//   node dist/apps/identity/src/hash-client-secret.js "$(openssl rand -base64 32)"
// The secret goes to the service (AUTH_CLIENT_SECRET); only the hash goes to identity's config.
import { PasswordHasher } from './app/users/password-hasher';

async function run(): Promise<void> {
  const secret = process.argv[2];
  if (!secret || secret.length < 16) {
    process.stderr.write('usage: hash-client-secret <secret of at least 16 characters>\n');
    process.exit(2);
  }
  process.stdout.write(`${await new PasswordHasher().hash(secret)}\n`);
}

void run();
