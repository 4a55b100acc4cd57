import { describe, expect, it } from 'vitest';
import { createClientIpResolver } from '../../../server/http/client-ip.ts';
import { normalizeIp, truncateIp } from '../../../server/http/ip.ts';

describe('truncateIp', () => {
  it('IPv4 keeps the /24 network', () => {
    expect(truncateIp('203.0.113.77')).toBe('203.0.113.0');
    expect(truncateIp('8.8.8.8')).toBe('8.8.8.0');
    expect(truncateIp('255.255.255.255')).toBe('255.255.255.0');
  });

  it('IPv4 honours a stricter policy prefix', () => {
    expect(truncateIp('203.0.113.77', 16)).toBe('203.0.0.0');
    expect(truncateIp('203.0.113.77', 20)).toBe('203.0.112.0');
    expect(truncateIp('203.0.113.77', 0)).toBe('0.0.0.0');
  });

  it('IPv6 keeps the /48 network', () => {
    expect(truncateIp('2001:db8:abcd:12:3456:789a:bcde:f012')).toBe('2001:db8:abcd::');
    expect(truncateIp('2001:DB8:ABCD:0012::1')).toBe('2001:db8:abcd::');
    expect(truncateIp('::1')).toBe('::');
    expect(truncateIp('fe80::1%eth0')).toBe('fe80::');
  });

  it('IPv6 honours a stricter policy prefix, including mid-group prefixes', () => {
    expect(truncateIp('2001:db8:abcd:12::1', 48, 32)).toBe('2001:db8::');
    expect(truncateIp('2001:db8:abcd:12::1', 48, 40)).toBe('2001:db8:ab00::');
  });

  it('IPv4-mapped IPv6 is treated as IPv4', () => {
    expect(truncateIp('::ffff:203.0.113.77')).toBe('203.0.113.0');
    expect(truncateIp('::FFFF:198.51.100.23')).toBe('198.51.100.0');
    expect(normalizeIp('::ffff:203.0.113.77')).toBe('203.0.113.77');
  });

  it('IPv6 with an embedded IPv4 tail', () => {
    expect(truncateIp('64:ff9b:1::192.0.2.33')).toBe('64:ff9b:1::');
  });

  it('rejects what is not an address', () => {
    expect(truncateIp('not-an-ip')).toBeNull();
    expect(truncateIp('999.1.1.1')).toBeNull();
    expect(truncateIp('')).toBeNull();
  });
});

describe('client address', () => {
  it('ignores X-Forwarded-For unless the peer is a configured proxy', () => {
    const resolve = createClientIpResolver([]);
    expect(resolve('203.0.113.77', '198.51.100.1')).toBe('203.0.113.77');
    const behindProxy = createClientIpResolver(['10.0.0.0/8']);
    expect(behindProxy('203.0.113.77', '198.51.100.1')).toBe('203.0.113.77');
  });

  it('takes the nearest untrusted hop behind trusted proxies (a client cannot spoof by prepending)', () => {
    const resolve = createClientIpResolver(['10.0.0.0/8', '127.0.0.1']);
    expect(resolve('10.1.2.3', '198.51.100.1')).toBe('198.51.100.1');
    expect(resolve('10.1.2.3', '1.2.3.4, 198.51.100.1, 10.9.9.9')).toBe('198.51.100.1');
    expect(resolve('::ffff:127.0.0.1', '2001:db8::5')).toBe('2001:db8::5');
  });

  it('falls back to the peer on garbage headers', () => {
    const resolve = createClientIpResolver(['127.0.0.1']);
    expect(resolve('127.0.0.1', 'garbage')).toBe('127.0.0.1');
    expect(resolve(undefined, '198.51.100.1')).toBeNull();
  });

  it('refuses a malformed trusted-proxy setting', () => {
    expect(() => createClientIpResolver(['proxy.internal'])).toThrow(/trusted proxy/);
  });
});
