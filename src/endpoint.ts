/** An endpoint that is not a host name, host:port or http(s) URL; the message says what is wrong. */
export class EndpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EndpointError';
  }
}

/** What `@alicloud/openapi-client`'s Config wants: a protocol and a host (with its port, if any). */
export interface Endpoint {
  protocol: 'http' | 'https';
  host: string;
}

const HOST_NAME = /^([a-z0-9]([a-z0-9-]*[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i;
const IPV6 = /^\[[0-9a-f:.]+\]$/i;

/**
 * Splits an endpoint: a bare host name (`agentrun.cn-hangzhou.aliyuncs.com`) or host:port means HTTPS; a
 * full URL (`http://127.0.0.1:9000`, a local emulator) keeps its protocol. Anything else is refused here,
 * since the client would make something of it anyway: `not a url!` becomes host `not`, and
 * `ftp://127.0.0.1:21` an HTTPS request to port 443.
 */
export function parseEndpoint(endpoint: string): Endpoint {
  const trimmed = endpoint.trim();
  // The URL parser silently drops tabs and line breaks, which would hide a pasting mistake.
  if (/[\s\p{Cc}]/u.test(trimmed)) throw new EndpointError('contains white space or a control character');
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(trimmed)?.[1].toLowerCase();
  if (scheme !== undefined && scheme !== 'http' && scheme !== 'https') {
    throw new EndpointError(`uses ${scheme}://, but only http:// and https:// are supported`);
  }
  let url: URL;
  try {
    url = new URL(scheme ? trimmed : `https://${trimmed}`);
  } catch {
    throw new EndpointError('is not a host name, host:port or URL');
  }
  if (url.username || url.password) throw new EndpointError('must not contain a user name or password');
  if (url.pathname !== '/' || url.search || url.hash) {
    throw new EndpointError('must not have a path, query or fragment: the API paths are added to it');
  }
  if (!HOST_NAME.test(url.hostname) && !IPV6.test(url.hostname)) {
    throw new EndpointError(`has no valid host name ("${url.hostname}")`);
  }
  if (url.port === '0') throw new EndpointError('has port 0');
  return { protocol: url.protocol === 'http:' ? 'http' : 'https', host: url.host };
}
