// An enforcing, counting proxy between the operator and the emulator. It records every AWS call
// (signing service, operation, input, answer) and authorizes it with the policy evaluator on the call's
// real ARNs and the live tags of its resources, as IAM would, including what AWS authorizes on the
// caller's behalf (iam-requests.ts). A denied call is answered as AWS answers it (AccessDeniedException)
// and never reaches the emulator; an allowed one is passed on byte for byte, headers included, so the
// emulator can check its signature and apply its own (action-only) IAM enforcement.
import { createServer, request as httpRequest, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { evaluate, type AuthRequest, type PolicyDocument } from './iam-policy.js';
import { authorizationsOf, type ImpliedAuth, type RecordedCall, type TagLookup } from './iam-requests.js';

export interface ProxiedCall extends RecordedCall {
  /** HTTP status the caller got. */
  status: number;
  authorizations: ImpliedAuth[];
  /** The first authorization the policy refused, when the proxy denied the call. */
  denied?: AuthRequest;
}

export interface PolicyProxy {
  endpoint: string;
  calls: ProxiedCall[];
  stop(): Promise<void>;
}

export interface PolicyProxyOptions {
  /** Where allowed calls go. */
  upstream: string;
  policy: PolicyDocument;
  lookup: TagLookup;
  account: string;
}

/** `Credential=AKID/date/region/service/aws4_request` of a SigV4 Authorization header. */
function credentialScope(headers: IncomingHttpHeaders): { region: string; service: string } {
  const scope = /Credential=[^/]+\/\d+\/([^/]+)\/([^/]+)\//.exec(String(headers.authorization ?? ''));
  return { region: scope?.[1] ?? 'us-east-1', service: scope?.[2] ?? 'unknown' };
}

/** The operation and its input: JSON protocols name it in X-Amz-Target, query protocols in Action=. */
function operationOf(headers: IncomingHttpHeaders, body: string): { operation: string; input: Record<string, any>; json: boolean } {
  const target = headers['x-amz-target'];
  if (target) return { operation: String(target).split('.').pop()!, input: body ? JSON.parse(body) : {}, json: true };
  const form = Object.fromEntries(new URLSearchParams(body));
  return { operation: form.Action ?? 'Unknown', input: form, json: false };
}

function accessDenied(res: ServerResponse, json: boolean, message: string): number {
  if (json) {
    res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': 'AccessDeniedException' });
    res.end(JSON.stringify({ __type: 'AccessDeniedException', message }));
    return 400;
  }
  res.writeHead(403, { 'content-type': 'text/xml' });
  res.end(`<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>${message}</Message></Error><RequestId>0</RequestId></ErrorResponse>`);
  return 403;
}

export async function startPolicyProxy(options: PolicyProxyOptions): Promise<PolicyProxy> {
  const upstream = new URL(options.upstream);
  const calls: ProxiedCall[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => void handle(Buffer.concat(chunks)).catch((err: Error) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`policy proxy: ${err.message}`);
    }));
    async function handle(raw: Buffer): Promise<void> {
      const { region, service } = credentialScope(req.headers);
      const { operation, input, json } = operationOf(req.headers, raw.toString());
      const call: RecordedCall = { service, operation, input, region, account: options.account };
      const authorizations = await authorizationsOf(call, options.lookup);
      const denied = authorizations.find((a) => evaluate(options.policy, a).decision !== 'allowed');
      if (denied) {
        const message = `User is not authorized to perform: ${denied.action} on resource: ${denied.resource} because no identity-based policy allows it`;
        calls.push({ ...call, authorizations, denied, status: accessDenied(res, json, message) });
        return;
      }
      const record: ProxiedCall = { ...call, authorizations, status: 0 };
      calls.push(record);
      const forward = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        record.status = answer.statusCode ?? 502;
        res.writeHead(record.status, answer.headers);
        answer.pipe(res);
      });
      forward.on('error', () => res.destroy());
      forward.end(raw);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    stop: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
