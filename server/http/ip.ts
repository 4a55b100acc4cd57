import { isIPv4, isIPv6 } from 'node:net';
import type { Policy } from '../../policy/schema.ts';

/** `::ffff:203.0.113.7` (how Node reports IPv4 peers on dual-stack sockets) is an IPv4 address. */
export function normalizeIp(raw: string): string | null {
  let ip = raw.trim();
  if (ip.startsWith('[') && ip.endsWith(']')) ip = ip.slice(1, -1);
  const zone = ip.indexOf('%');
  if (zone !== -1) ip = ip.slice(0, zone);
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) ip = mapped[1]!;
  if (isIPv4(ip)) return ip;
  if (isIPv6(ip)) return ip.toLowerCase();
  return null;
}

/**
 * Keeps only the network part of an address: IPv4 /24 → 203.0.113.0, IPv6 /48 → 2001:db8:abcd::.
 * This runs before anything is stored; the full address lives only in the request's memory.
 */
export function truncateIp(raw: string, v4Prefix = 24, v6Prefix = 48): string | null {
  const ip = normalizeIp(raw);
  if (!ip) return null;
  if (isIPv4(ip)) {
    if (v4Prefix === 24) return `${ip.slice(0, ip.lastIndexOf('.'))}.0`;
    const n = ip.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
    const masked = v4Prefix === 0 ? 0 : n - (n % 2 ** (32 - v4Prefix));
    return [24, 16, 8, 0].map((shift) => Math.floor(masked / 2 ** shift) % 256).join('.');
  }
  const groups = expandIpv6(ip);
  const masked = groups.map((g, i) => {
    const keep = Math.max(0, Math.min(16, v6Prefix - i * 16));
    return keep === 0 ? 0 : g & (0xffff << (16 - keep)) & 0xffff;
  });
  return compressIpv6(masked);
}

/** The one place the policy's prefixes are applied: every stored or receipted address goes through here. */
export function truncateForPolicy(ip: string, policy: Pick<Policy, 'ip'>): string | null {
  return truncateIp(ip, policy.ip.ipv4Prefix, policy.ip.ipv6Prefix);
}

function expandIpv6(ip: string): number[] {
  let head = ip;
  let tail = '';
  const dbl = ip.indexOf('::');
  if (dbl !== -1) {
    head = ip.slice(0, dbl);
    tail = ip.slice(dbl + 2);
  }
  const parse = (part: string): number[] => {
    if (!part) return [];
    return part.split(':').flatMap((g) => {
      if (g.includes('.')) {
        // embedded IPv4 tail (e.g. 64:ff9b::192.0.2.1)
        const [a, b, c, d] = g.split('.').map(Number) as [number, number, number, number];
        return [(a << 8) | b, (c << 8) | d];
      }
      return [parseInt(g, 16)];
    });
  };
  const h = parse(head);
  const t = parse(tail);
  return [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
}

function compressIpv6(groups: number[]): string {
  // RFC 5952: compress the longest run of two or more zero groups.
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}
