// The official SLS SDK addresses a project as the host `<project>.<endpoint>`. For an emulator at
// 127.0.0.1 that is `<project>.127.0.0.1`, which no resolver knows: this makes such names resolve to
// 127.0.0.1 in the test process, as DNS does for `<project>.<region>.log.aliyuncs.com`.
import dns from 'node:dns';

type Lookup = typeof dns.lookup;

/** Resolves `*.127.0.0.1` to 127.0.0.1 until the returned function is called. */
export function resolveProjectHosts(): () => void {
  const original = dns.lookup;
  const lookup = ((hostname: string, options: unknown, callback: unknown) => {
    if (!hostname.endsWith('.127.0.0.1')) {
      return (original as (...args: unknown[]) => void)(hostname, options, callback);
    }
    const done = (typeof options === 'function' ? options : callback) as (...args: unknown[]) => void;
    const all = typeof options === 'object' && options !== null && (options as { all?: boolean }).all;
    if (all) done(null, [{ address: '127.0.0.1', family: 4 }]);
    else done(null, '127.0.0.1', 4);
  }) as Lookup;
  dns.lookup = lookup;
  return () => {
    dns.lookup = original;
  };
}
