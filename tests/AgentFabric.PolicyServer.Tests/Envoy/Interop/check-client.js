// A gRPC client nobody in this repository wrote: @grpc/grpc-js with @grpc/proto-loader, loading Envoy's own
// published external_auth.proto (from @grpc/grpc-js-xds). Usage: node check-client.js <port> <CheckRequest JSON>.
// Prints {"response": <CheckResponse>} or {"error": {"code", "details"}} as one line of JSON.
'use strict';
const path = require('path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const deps = path.join(path.dirname(require.resolve('@grpc/grpc-js-xds/package.json')), 'deps');
const definition = protoLoader.loadSync('envoy/service/auth/v3/external_auth.proto', {
  includeDirs: ['envoy-api', 'xds', 'googleapis', 'protoc-gen-validate'].map((d) => path.join(deps, d)),
  keepCase: false,
  longs: String,
  enums: String,
  defaults: false,
  oneofs: true,
});
const Authorization = grpc.loadPackageDefinition(definition).envoy.service.auth.v3.Authorization;

const [port, requestJson] = process.argv.slice(2);
const client = new Authorization(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
client.Check(JSON.parse(requestJson), { deadline: Date.now() + 10000 }, (error, response) => {
  if (error) {
    console.log(JSON.stringify({ error: { code: error.code, details: error.details } }));
  } else {
    console.log(JSON.stringify({ response }));
  }
  client.close();
});
