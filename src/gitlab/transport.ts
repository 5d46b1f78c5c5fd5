import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';

// One HTTP exchange with GitLab over Node's own client and its keep-alive global agents
// (which close an idle connection before the server's `Keep-Alive: timeout` does).
// Not `fetch`: its WHATWG streams cost about twice the CPU per call, most of what a
// webhook costs the server; not undici's `request`: the same CPU, 11 MB more resident
// memory for its module (bench/README.md, "Event → note").

export interface Exchange {
  status: number;
  /** Lower-case names; a repeated header's values joined with ", ", as fetch's `Headers` gives them. */
  headers: Record<string, string>;
  text: string;
}

/** The request took longer than its time limit, answer and body included. */
export class TransportTimeout extends Error {
  constructor(readonly ms: number) {
    super(`timed out after ${ms} ms`);
    this.name = 'TimeoutError';
  }
}

function flatHeaders(raw: IncomingHttpHeaders): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  return headers;
}

/** gitbeaker sends some edits (users, for their avatar) as FormData: encoded here as multipart, as fetch would. */
async function encodeBody(body: string | FormData | undefined, headers: Record<string, string>): Promise<string | Buffer | undefined> {
  if (!(body instanceof FormData)) return body;
  const encoded = new Response(body);
  headers['content-type'] = encoded.headers.get('content-type')!;
  return Buffer.from(await encoded.arrayBuffer());
}

export async function exchange(url: URL, options: { method: string; headers?: Record<string, string>; body?: string | FormData; timeoutMs: number }): Promise<Exchange> {
  const headers = { ...options.headers };
  const body = await encodeBody(options.body, headers);
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<Exchange>((resolve, reject) => {
    const req = send(url, { method: options.method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, headers: flatHeaders(res.headers), text: Buffer.concat(chunks).toString('utf8') });
      });
    });
    const timer = setTimeout(() => req.destroy(new TransportTimeout(options.timeoutMs)), options.timeoutMs);
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.end(body);
  });
}
