/**
 * Whether an IP address is on the public internet: not in any range of IANA's IPv4 and IPv6
 * special-purpose address registries (RFC 6890) that is not globally reachable, nor one that reaches
 * another network's addresses (NAT64, 6to4, Teredo). IPv6 must also be global unicast (2000::/3).
 *
 * Two lists, each checked only with its own family: Node's BlockList matches an IPv4 address against
 * IPv4-mapped IPv6 rules (`::ffff:0:0/96` refused every IPv4 address) and a mapped IPv6 address
 * against IPv4 rules.
 */
import { BlockList, isIP } from "node:net";

/** IPv4 ranges that are not the public internet. */
const SPECIAL_IPV4: readonly (readonly [string, number])[] = [
  ["0.0.0.0", 8], // "this network" (RFC 791)
  ["10.0.0.0", 8], // private (RFC 1918)
  ["100.64.0.0", 10], // shared address space, carrier-grade NAT (RFC 6598)
  ["127.0.0.0", 8], // loopback (RFC 1122)
  ["169.254.0.0", 16], // link-local, cloud metadata services (RFC 3927)
  ["172.16.0.0", 12], // private (RFC 1918)
  ["192.0.0.0", 24], // IETF protocol assignments, DS-Lite, NAT64 discovery (RFC 6890)
  ["192.0.2.0", 24], // documentation, TEST-NET-1 (RFC 5737)
  ["192.88.99.0", 24], // 6to4 relay anycast, deprecated (RFC 7526)
  ["192.168.0.0", 16], // private (RFC 1918)
  ["198.18.0.0", 15], // benchmarking (RFC 2544)
  ["198.51.100.0", 24], // documentation, TEST-NET-2 (RFC 5737)
  ["203.0.113.0", 24], // documentation, TEST-NET-3 (RFC 5737)
  ["224.0.0.0", 4], // multicast (RFC 5771)
  ["240.0.0.0", 4], // reserved (RFC 1112), 255.255.255.255 limited broadcast (RFC 919) included
];

/** IPv6 ranges inside 2000::/3 that are not the public internet (everything outside it is refused anyway). */
const SPECIAL_IPV6: readonly (readonly [string, number])[] = [
  ["2001::", 23], // IETF protocol assignments (RFC 2928): Teredo 2001::/32 reaches IPv4 behind NAT, benchmarking, ORCHID
  ["2001:db8::", 32], // documentation (RFC 3849)
  ["2002::", 16], // 6to4 (RFC 3056): 2002:<IPv4>::/48 reaches the IPv4 address it embeds
  ["3fff::", 20], // documentation (RFC 9637)
];

/**
 * IPv6 global unicast (RFC 4291 §2.4; IANA allocates nothing else). Outside it: ::/128, ::1, IPv4-mapped
 * ::ffff:0:0/96 and IPv4-compatible ::/96, NAT64 64:ff9b::/96 and 64:ff9b:1::/48 (RFC 6052, 8215), discard
 * 100::/64 (RFC 6666), SRv6 5f00::/16 (RFC 9602), unique local fc00::/7, link-local fe80::/10, site-local
 * fec0::/10 and multicast ff00::/8.
 */
const GLOBAL_UNICAST_IPV6 = ["2000::", 3] as const;

const ipv4 = new BlockList();
for (const [network, prefix] of SPECIAL_IPV4) ipv4.addSubnet(network, prefix, "ipv4");
const ipv6 = new BlockList();
for (const [network, prefix] of SPECIAL_IPV6) ipv6.addSubnet(network, prefix, "ipv6");
const globalUnicast = new BlockList();
globalUnicast.addSubnet(GLOBAL_UNICAST_IPV6[0], GLOBAL_UNICAST_IPV6[1], "ipv6");

/** True only for an address on the public internet; false for every special range and for non-addresses. */
export function isPublicAddress(address: string): boolean {
  try {
    const family = isIP(address);
    if (family === 4) return !ipv4.check(address, "ipv4");
    if (family === 6) return globalUnicast.check(address, "ipv6") && !ipv6.check(address, "ipv6");
  } catch {
    // An address BlockList cannot parse (a zone index, say) is not one to connect to.
  }
  return false;
}
