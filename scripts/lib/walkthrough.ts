/** The curl session `npm start` prints: register, log in, browse, order, watch it confirmed. */
export function walkthrough(url: string): string {
  return `
Try it (needs curl and jq):

  curl -s -X POST ${url}/api/identity/register -H 'content-type: application/json' \\
       -d '{"email":"ada@example.com","password":"correct horse battery"}'
  TOKEN=$(curl -s -X POST ${url}/api/identity/login -H 'content-type: application/json' \\
       -d '{"email":"ada@example.com","password":"correct horse battery"}' | jq -r .accessToken)
  curl -s ${url}/api/catalog/products | jq
  ORDER=$(curl -s -X POST ${url}/api/orders -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \\
       -d '{"items":[{"productId":"p-keyboard","quantity":1}]}' | jq -r .id)
  curl -s ${url}/api/orders/$ORDER -H "authorization: Bearer $TOKEN" | jq      # PENDING, then CONFIRMED
  curl -s ${url}/api/notifications -H "authorization: Bearer $TOKEN" | jq
  # Admins only (start with BOOTSTRAP_ADMIN_EMAIL=ada@example.com to make Ada the first admin; log in again):
  curl -s ${url}/api/_platform/services -H "authorization: Bearer $TOKEN" | jq
`;
}
