/**
 * Splits an endpoint input into what `@alicloud/openapi-client`'s Config wants: a bare host name
 * (`agentrun.cn-hangzhou.aliyuncs.com`) means HTTPS; a full URL (`http://127.0.0.1:9000`, a local
 * emulator) keeps its protocol.
 */
export function parseEndpoint(endpoint: string): { protocol: 'http' | 'https'; host: string } {
  const trimmed = endpoint.trim();
  if (!/^https?:\/\//i.test(trimmed)) return { protocol: 'https', host: trimmed.replace(/\/+$/, '') };
  const url = new URL(trimmed);
  return { protocol: url.protocol === 'http:' ? 'http' : 'https', host: url.host };
}
