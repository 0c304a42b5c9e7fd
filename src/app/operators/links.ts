/** What an operator's public address is made of: its own setting, else its host names. */
export type OperatorAddress = { publicUrl: string | null; hostnames: readonly string[] };

/**
 * How absolute links are built. Each brand has its own site, so a link in a message, a PDF or a
 * gateway's return URL is made from the address of the operator it belongs to, never from one
 * global URL; `secret` signs links that need no table (such as "This wasn't me").
 */
export type Links = {
  base(operator: OperatorAddress): string;
  secret: string;
};

/**
 * An operator's base URL is its `public_url` when set; otherwise its first host name with the
 * scheme and port of PUBLIC_URL (so `sever.localhost` on a demo at http://localhost:3000 is
 * http://sever.localhost:3000). An operator with no host name answers on PUBLIC_URL itself.
 */
export function operatorLinks(publicUrl: string, secret: string): Links {
  const fallback = new URL(publicUrl);
  return {
    base(operator) {
      if (operator.publicUrl) return operator.publicUrl;
      const host = operator.hostnames[0];
      if (!host) return fallback.origin;
      const url = new URL(fallback.origin);
      url.hostname = host;
      return url.origin;
    },
    secret,
  };
}

/**
 * The origin a person is using right now, when it is one of this operator's own host names
 * (e.g. 127.0.0.1 as well as localhost), so a round trip through a gateway comes back to the
 * same site and its cookies; any other host falls back to the operator's base URL.
 */
export function originFor(links: Links, operator: OperatorAddress, seen: { protocol: string; host: string }): string {
  const base = new URL(links.base(operator));
  const url = new URL(`${seen.protocol}://${seen.host}`);
  const own = operator.hostnames.includes(url.hostname) || url.hostname === base.hostname;
  return own ? url.origin : base.origin;
}
