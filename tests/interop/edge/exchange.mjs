// openid-client and jose, clients nobody on AgentFabric wrote, against a running edge. Reads one JSON argument:
// { issuer, backend: { id, secret, scope }, hops: [{ client, assertion, actor, audience }], replay: { client,
//   assertion, actor, audience }, refused: { client, assertion, actor, audience } }
// and prints one JSON object of what each step saw, so the xunit test can compare exact values.
import * as client from 'openid-client';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';

const input = JSON.parse(process.argv[2]);
const insecure = { execute: [client.allowInsecureRequests] }; // the edge under test listens on http://127.0.0.1

const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN = 'urn:ietf:params:oauth:token-type:access_token';
const JWT = 'urn:ietf:params:oauth:token-type:jwt';
const JWT_SPIFFE = 'urn:ietf:params:oauth:client-assertion-type:jwt-spiffe';

// draft-ietf-oauth-spiffe-client-auth: the agent authenticates with its JWT-SVID as the client assertion. openid-client
// takes any ClientAuth function; this one fills the body the way its own PrivateKeyJwt does (client_id included,
// RFC 7521 §4.2), with the SPIFFE assertion type and an SVID handed over by the workload (here: by the test).
const jwtSpiffe = (assertion) => (_as, metadata, body) => {
  body.set('client_id', metadata.client_id);
  body.set('client_assertion_type', JWT_SPIFFE);
  body.set('client_assertion', assertion);
};

const issuer = new URL(input.issuer);

async function exchange(step, subjectToken) {
  const config = await client.discovery(issuer, step.client, undefined, jwtSpiffe(step.assertion), insecure);
  return client.genericGrantRequest(config, TOKEN_EXCHANGE, {
    subject_token: subjectToken,
    subject_token_type: ACCESS_TOKEN,
    actor_token: step.actor,
    actor_token_type: JWT,
    audience: step.audience,
  });
}

async function refusal(request) {
  try {
    await request();
    return { unexpected: 'issued' };
  } catch (e) {
    if (e instanceof client.ResponseBodyError) {
      return { error: e.error, status: e.status, error_description: e.error_description };
    }
    if (e instanceof client.WWWAuthenticateChallengeError) {
      // A 401 with a WWW-Authenticate challenge: openid-client reports the challenge, not the body.
      const [challenge] = e.cause;
      return { challenge: challenge.scheme, error: challenge.parameters.error, status: e.status };
    }
    throw e;
  }
}

const out = {};

// 1. Discovery: openid-client checks the document's issuer equals the URL it was given (OIDC Discovery §4.3).
const backend = await client.discovery(issuer, input.backend.id, input.backend.secret, undefined, insecure);
const metadata = backend.serverMetadata();
out.discovery = {
  issuer: metadata.issuer,
  token_endpoint: metadata.token_endpoint,
  jwks_uri: metadata.jwks_uri,
  token_exchange_supported: (metadata.grant_types_supported ?? []).includes(TOKEN_EXCHANGE),
};

// 2. Client credentials with client_secret_post (openid-client's default for a client with a secret).
const cc = await client.clientCredentialsGrant(backend, { scope: input.backend.scope });
out.clientCredentials = { token_type: cc.token_type, scope: cc.scope ?? null, sub: decodeJwt(cc.access_token).sub };

// 3. RFC 8693 exchanges through the generic grant, each issued token verified by jose against the edge's JWKS
//    (RFC 9068: typ at+jwt, the issuer, the target agent as audience).
const jwks = createRemoteJWKSet(new URL(metadata.jwks_uri));
out.hops = [];
let subject = cc.access_token;
for (const step of input.hops) {
  const issued = await exchange(step, subject);
  const { payload, protectedHeader } = await jwtVerify(issued.access_token, jwks, {
    issuer: metadata.issuer,
    audience: step.audience,
    typ: 'at+jwt',
    algorithms: ['ES256'],
  });
  out.hops.push({
    issued_token_type: issued.issued_token_type,
    token_type: issued.token_type,
    expires_in: issued.expires_in,
    alg: protectedHeader.alg,
    typ: protectedHeader.typ,
    has_kid: typeof protectedHeader.kid === 'string', // jose picked the JWKS key by it
    sub: payload.sub,
    aud: payload.aud,
    scope: payload.scope ?? null,
    act: payload.act,
    lifetime: payload.exp - payload.iat,
  });
  subject = issued.access_token;
}

// 4. jose refuses the last issued token for any other audience.
try {
  await jwtVerify(subject, jwks, { issuer: metadata.issuer, audience: input.hops[0].client, typ: 'at+jwt' });
  out.otherAudience = { unexpected: 'verified' };
} catch (e) {
  out.otherAudience = { code: e.code, claim: e.claim };
}

// 5. The edge's errors as openid-client surfaces them (RFC 6749 §5.2 through ResponseBodyError).
out.replay = await refusal(() => exchange(input.replay, cc.access_token));
out.refused = await refusal(() => exchange(input.refused, cc.access_token));
const wrongSecret = await client.discovery(issuer, input.backend.id, 'not-the-secret', undefined, insecure);
out.wrongSecret = await refusal(() => client.clientCredentialsGrant(wrongSecret, { scope: input.backend.scope }));

process.stdout.write(JSON.stringify(out));
