// OPA's own TypeScript SDK (@open-policy-agent/opa) evaluating through AgentFabric's policy server.
// Usage: node evaluate.mjs <server URL> <bearer token>; prints one JSON object of the answers.
import { OPAClient } from "@open-policy-agent/opa";

const [url, token] = process.argv.slice(2);
const opa = new OPAClient(url, { headers: { authorization: `Bearer ${token}` } });
const anonymous = new OPAClient(url);

async function outcome(promise) {
  try {
    return { value: await promise };
  } catch (e) {
    // A ServerError is the SDK reading OPA's error body: its code and the nested Rego error codes.
    if (e?.name === "ServerError") return { error: e.code, errors: (e.errors ?? []).map((x) => x.code) };
    return { error: e?.name ?? String(e), status: e?.statusCode ?? e?.httpMeta?.response?.status ?? null };
  }
}

const answers = {
  alice: await outcome(opa.evaluate("authz/allow", { subject: "alice" })),
  bob: await outcome(opa.evaluate("authz/allow", { subject: "bob" })),
  noInput: await outcome(opa.evaluate("authz/roles")),
  document: await outcome(opa.evaluate("authz", { subject: "alice" })),
  mapped: await outcome(opa.evaluate("authz", { subject: "bob" }, { fromResult: (r) => r?.allow ?? false })),
  defaultDecision: await outcome(opa.evaluateDefault({ subject: "alice" })),
  evalError: await outcome(opa.evaluate("authz_errors/conflict", { subject: "alice" })),
  unauthenticated: await outcome(anonymous.evaluate("authz/allow", { subject: "alice" })),
};
console.log(JSON.stringify(answers));
