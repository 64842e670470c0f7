/* The network's pure parts: -p, --dns and --outbound-addr/--outbound-if
 * parsing, the annotations, the host loopback guard's verdicts on crafted
 * frames, resolv.conf. */
#include "config.h"

#include <arpa/inet.h>
#include <glib/gstdio.h>
#include <string.h>

#include "error.h"
#include "net-config.h"
#include "net-outbound.h"
#include "slirp-dns.h"
#include "slirp-guard.h"
#include "spec.h"

static void
test_forward_parse (void)
{
  g_auto (HakoPortForward) f = { 0 };
  g_auto (HakoPortForward) g = { 0 };
  g_auto (HakoPortForward) h = { 0 };
  const char *bad[] = { "80", "a:80", "0:80", "80:65536", "1.2.3:80:80", "::1:80:80", "[::1]80:80",
                        "8080:80/sctp", "8080:80/", ":80", NULL };

  g_assert_true (hako_port_forward_parse ("8080:80", &f, NULL));
  g_assert_false (f.udp);
  g_assert_cmpint (f.family, ==, AF_INET);
  g_assert_cmpuint (f.host_addr.s_addr, ==, htonl (INADDR_ANY));
  g_assert_cmpuint (f.host_port, ==, 8080);
  g_assert_cmpuint (f.container_port, ==, 80);

  g_assert_true (hako_port_forward_parse ("127.0.0.1:5353:53/udp", &g, NULL));
  g_assert_true (g.udp);
  g_assert_cmpuint (g.host_addr.s_addr, ==, htonl (INADDR_LOOPBACK));
  g_assert_cmpstr (g.spec, ==, "127.0.0.1:5353:53/udp");

  g_assert_true (hako_port_forward_parse ("[::1]:8080:80/tcp", &h, NULL));
  g_assert_cmpint (h.family, ==, AF_INET6);
  g_assert_true (IN6_IS_ADDR_LOOPBACK (&h.host_addr6));

  for (const char **spec = bad; *spec; spec++)
    {
      g_autoptr (GError) error = NULL;
      g_auto (HakoPortForward) x = { 0 };
      g_assert_false (hako_port_forward_parse (*spec, &x, &error));
      g_assert_error (error, HAKO_ERROR, HAKO_ERROR_USAGE);
      g_assert_true (g_str_has_prefix (error->message, "-p "));
    }
}

static HakoSpec *
spec_with (const char *namespaces, const char *annotations)
{
  g_autofree char *json = g_strdup_printf ("{\"ociVersion\": \"1.0.0\", \"annotations\": %s, "
                                           "\"linux\": {\"namespaces\": %s}}", annotations, namespaces);
  g_autoptr (GError) error = NULL;
  HakoSpec *spec = hako_spec_load_data (json, -1, &error);

  g_assert_no_error (error);
  return spec;
}

static void
test_config_resolve (void)
{
  g_autoptr (HakoSpec) own = spec_with ("[{\"type\": \"network\"}]", "{\"org.hako.network\": \"slirp\", "
                                        "\"org.hako.network.mtu\": \"1500\"}");
  g_autoptr (HakoSpec) none = spec_with ("[]", "{}");
  g_autoptr (HakoSpec) bad_mtu = spec_with ("[{\"type\": \"network\"}]", "{\"org.hako.network.mtu\": \"9\"}");
  const char *publish[] = { "8080:80", NULL };
  HakoNetRequest request = { 0 };
  g_autoptr (GError) error = NULL;

  {
    g_auto (HakoNetConfig) config = { 0 };
    g_assert_true (hako_net_config_resolve (own, &request, &config, NULL));
    g_assert_cmpint (config.mode, ==, HAKO_NET_SLIRP);
    g_assert_cmpuint (config.mtu, ==, 1500);
    g_assert_false (config.allow_host_loopback);
  }
  {
    /* The command line wins over the annotations. */
    g_auto (HakoNetConfig) config = { 0 };
    request = (HakoNetRequest){ .network = "none" };
    g_assert_true (hako_net_config_resolve (own, &request, &config, NULL));
    g_assert_cmpint (config.mode, ==, HAKO_NET_NONE);
  }
  {
    g_auto (HakoNetConfig) config = { 0 };
    request = (HakoNetRequest){ .network = "slirp", .publish = publish, .mtu = 9000 };
    g_assert_true (hako_net_config_resolve (own, &request, &config, NULL));
    g_assert_cmpuint (config.mtu, ==, 9000);
    g_assert_cmpuint (config.forwards->len, ==, 1);
  }
  {
    g_auto (HakoNetConfig) config = { 0 };
    request = (HakoNetRequest){ .network = "slirp" };
    g_assert_false (hako_net_config_resolve (none, &request, &config, &error));
    g_assert_true (strstr (error->message, "linux.namespaces") != NULL);
    g_clear_error (&error);
  }
  {
    g_auto (HakoNetConfig) config = { 0 };
    request = (HakoNetRequest){ .publish = publish };
    g_assert_false (hako_net_config_resolve (none, &request, &config, &error));
    g_assert_true (strstr (error->message, "--network slirp") != NULL);
    g_clear_error (&error);
  }
  {
    g_auto (HakoNetConfig) config = { 0 };
    request = (HakoNetRequest){ 0 };
    g_assert_false (hako_net_config_resolve (bad_mtu, &request, &config, &error));
    g_assert_true (strstr (error->message, "org.hako.network.mtu") != NULL);
  }
}

/* Against the host's real addresses: all of 127.0.0.0/8 is local. */
static void
test_outbound (void)
{
  g_autoptr (HakoSpec) own = spec_with ("[{\"type\": \"network\"}]", "{\"org.hako.network\": \"slirp\", "
                                        "\"org.hako.network.outbound\": \"127.0.0.3\"}");
  g_autoptr (HakoSpec) by_if = spec_with ("[{\"type\": \"network\"}]", "{\"org.hako.network\": \"slirp\", "
                                          "\"org.hako.network.outbound\": \"lo\"}");
  const char *two4[] = { "127.0.0.2", "127.0.0.4", NULL };
  const char *one4[] = { "127.0.0.2", NULL };
  const char *bad[] = { "x", "127.0.0", "[::1]", "127.0.0.1:80", "", NULL };
  struct sockaddr_storage addr;
  socklen_t len;
  g_autoptr (GError) error = NULL;

  g_assert_true (hako_net_outbound_address_parse ("127.0.0.2", &addr, &len));
  g_assert_cmpint (addr.ss_family, ==, AF_INET);
  g_assert_cmpuint (len, ==, sizeof (struct sockaddr_in));
  g_assert_true (hako_net_outbound_address_parse ("::1", &addr, &len));
  g_assert_cmpint (addr.ss_family, ==, AF_INET6);
  for (const char **text = bad; *text; text++)
    g_assert_false (hako_net_outbound_address_parse (*text, &addr, &len));

  {
    g_auto (HakoNetOutbound) outbound = { 0 };
    g_assert_true (hako_net_outbound_add_address (&outbound, "127.0.0.2", "--outbound-addr", NULL));
    g_assert_cmpstr (outbound.addr4, ==, "127.0.0.2");
    g_assert_null (outbound.addr6);
    g_assert_false (hako_net_outbound_add_address (&outbound, "127.0.0.3", "--outbound-addr", &error));
    g_assert_error (error, HAKO_ERROR, HAKO_ERROR_USAGE);
    g_assert_true (strstr (error->message, "--outbound-addr 127.0.0.3: a second IPv4 address after 127.0.0.2") != NULL);
    g_clear_error (&error);
    g_assert_false (hako_net_outbound_add_address (&outbound, "198.51.100.77", "--outbound-addr", &error));
    g_assert_true (strstr (error->message, "not usable as a source address of this host") != NULL);
    g_clear_error (&error);
    g_assert_false (hako_net_outbound_add_address (&outbound, "x", "--outbound-addr", &error));
    g_assert_true (strstr (error->message, "--outbound-addr x: not an IPv4 or IPv6 address") != NULL);
    g_clear_error (&error);
  }
  {
    /* lo's: 127.0.0.1, and ::1 where the host has IPv6. */
    g_auto (HakoNetOutbound) outbound = { 0 };
    g_assert_true (hako_net_outbound_add_interface (&outbound, "lo", "--outbound-if", NULL));
    g_assert_cmpstr (outbound.addr4, ==, "127.0.0.1");
    g_assert_true (outbound.addr6 == NULL || g_str_equal (outbound.addr6, "::1"));
    g_assert_false (hako_net_outbound_add_interface (&outbound, "nosuch0", "--outbound-if", &error));
    g_assert_true (strstr (error->message, "--outbound-if nosuch0: no such network interface") != NULL);
    g_clear_error (&error);
  }
  {
    /* The annotation: addresses, in canonical form, or else an interface. */
    g_auto (HakoNetOutbound) outbound = { 0 };
    g_assert_true (hako_net_outbound_parse_annotation (&outbound, "127.0.0.2, 0:0::1", NULL));
    g_assert_cmpstr (outbound.addr4, ==, "127.0.0.2");
    g_assert_cmpstr (outbound.addr6, ==, "::1");
    hako_net_outbound_clear (&outbound);
    g_assert_false (hako_net_outbound_parse_annotation (&outbound, "nosuch0", &error));
    g_assert_true (strstr (error->message, "annotations.org.hako.network.outbound nosuch0") != NULL);
    g_clear_error (&error);
  }
  {
    HakoNetRequest request = { 0 };
    g_auto (HakoNetConfig) config = { 0 };
    g_assert_true (hako_net_config_resolve (own, &request, &config, NULL));
    g_assert_cmpstr (config.outbound.addr4, ==, "127.0.0.3");
  }
  {
    /* The command line replaces the annotation's choice. */
    HakoNetRequest request = { .outbound_addr = one4 };
    g_auto (HakoNetConfig) config = { 0 };
    g_assert_true (hako_net_config_resolve (by_if, &request, &config, NULL));
    g_assert_cmpstr (config.outbound.addr4, ==, "127.0.0.2");
    g_assert_null (config.outbound.addr6);
  }
  {
    HakoNetRequest request = { .outbound_addr = two4 };
    g_auto (HakoNetConfig) config = { 0 };
    g_assert_false (hako_net_config_resolve (own, &request, &config, &error));
    g_assert_true (strstr (error->message, "at most one IPv4 and one IPv6 address") != NULL);
    g_clear_error (&error);
  }
  {
    HakoNetRequest request = { .outbound_addr = one4, .outbound_if = "lo" };
    g_auto (HakoNetConfig) config = { 0 };
    g_assert_false (hako_net_config_resolve (own, &request, &config, &error));
    g_assert_true (strstr (error->message, "--outbound-addr and --outbound-if exclude each other") != NULL);
    g_clear_error (&error);
  }
  {
    HakoNetRequest request = { .network = "none", .outbound_if = "lo" };
    g_auto (HakoNetConfig) config = { 0 };
    g_assert_false (hako_net_config_resolve (own, &request, &config, &error));
    g_assert_true (strstr (error->message, "--outbound-if is for a network hako provides") != NULL);
    g_clear_error (&error);
  }
}

static void
test_dns_upstream (void)
{
  struct sockaddr_storage addr;
  socklen_t len;
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "hako-test-resolv.conf", NULL);

  g_assert_true (hako_dns_parse_upstream ("127.0.0.1:5353", &addr, &len, NULL));
  g_assert_cmpuint (ntohs (((struct sockaddr_in *) &addr)->sin_port), ==, 5353);
  g_assert_true (hako_dns_parse_upstream ("[::1]", &addr, &len, NULL));
  g_assert_cmpint (addr.ss_family, ==, AF_INET6);
  g_assert_cmpuint (ntohs (((struct sockaddr_in6 *) &addr)->sin6_port), ==, 53);
  /* Without brackets, all of it is the address. */
  g_assert_true (hako_dns_parse_upstream ("::1:53", &addr, &len, NULL));
  g_assert_cmpint (addr.ss_family, ==, AF_INET6);
  g_assert_cmpuint (ntohs (((struct sockaddr_in6 *) &addr)->sin6_port), ==, 53);
  g_assert_false (hako_dns_parse_upstream ("127.0.0.1:x", &addr, &len, NULL));
  g_assert_false (hako_dns_parse_upstream ("[::1]x", &addr, &len, NULL));

  g_assert_true (g_file_set_contents (path, "# stub\nsearch example\nnameserver fe80::1%eth0\n"
                                      "nameserver 127.0.0.53\nnameserver 192.0.2.1\n", -1, NULL));
  g_assert_true (hako_dns_upstream_from_resolv_conf (path, &addr, &len));
  g_assert_cmpuint (((struct sockaddr_in *) &addr)->sin_addr.s_addr, ==, inet_addr ("127.0.0.53"));
  g_assert_true (g_file_set_contents (path, "search example\n", -1, NULL));
  g_assert_false (hako_dns_upstream_from_resolv_conf (path, &addr, &len));
  g_unlink (path);
}

/* An Ethernet frame with an IPv4 header to DST and L4 bytes after it. */
static gsize
frame4 (guint8 *frame, const char *dst, int proto, const guint8 *l4, gsize l4_len)
{
  memset (frame, 0, 14 + 20);
  frame[12] = 0x08;
  frame[14] = 0x45;
  frame[14 + 9] = proto;
  inet_pton (AF_INET, "10.0.2.100", frame + 14 + 12);
  inet_pton (AF_INET, dst, frame + 14 + 16);
  memcpy (frame + 34, l4, l4_len);
  return 34 + l4_len;
}

static void
test_guard (void)
{
  guint8 frame[128], reset[128];
  guint8 syn[20] = { 0x30, 0x39, 0x00, 0x50, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02 };
  guint8 ack[20] = { 0x30, 0x39, 0x00, 0x50, 0, 0, 0, 1, 0, 0, 0, 1, 0x50, 0x10 };
  guint8 udp[8] = { 0x23, 0x28, 0x00, 0x35, 0, 8 }; /* from 9000 */
  guint8 rst[20] = { 0x00, 0x50, 0x30, 0x39, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x04 };
  g_autoptr (GArray) ports = g_array_new (FALSE, FALSE, sizeof (guint16));
  guint16 port = 9000, host_port;
  gsize len, reset_len;

  /* The Internet and DNS pass; the host side does not, but for replies. */
  len = frame4 (frame, "192.0.2.1", 6, syn, sizeof syn);
  g_assert_cmpint (hako_slirp_guard_check (frame, len, ports, reset, &reset_len), ==, HAKO_GUARD_PASS);
  len = frame4 (frame, "10.0.2.3", 17, udp, sizeof udp);
  g_assert_cmpint (hako_slirp_guard_check (frame, len, ports, reset, &reset_len), ==, HAKO_GUARD_PASS);
  len = frame4 (frame, "10.0.2.2", 6, syn, sizeof syn);
  g_assert_cmpint (hako_slirp_guard_check (frame, len, ports, reset, &reset_len), ==, HAKO_GUARD_RESET);
  g_assert_cmpuint (reset_len, ==, 54);
  g_assert_cmpint (reset[14 + 20 + 13], ==, 0x14); /* RST|ACK */
  g_assert_cmpmem (reset + 14 + 16, 4, frame + 14 + 12, 4); /* back to the container */
  len = frame4 (frame, "10.0.2.5", 6, ack, sizeof ack);
  g_assert_cmpint (hako_slirp_guard_check (frame, len, ports, reset, &reset_len), ==, HAKO_GUARD_PASS);
  len = frame4 (frame, "10.0.2.2", 17, udp, sizeof udp);
  g_assert_cmpint (hako_slirp_guard_check (frame, len, ports, reset, &reset_len), ==, HAKO_GUARD_DROP);
  g_array_append_val (ports, port);
  g_assert_cmpint (hako_slirp_guard_check (frame, len, ports, reset, &reset_len), ==, HAKO_GUARD_PASS);
  g_assert_cmpint (hako_slirp_guard_check (frame, 20, ports, reset, &reset_len), ==, HAKO_GUARD_DROP);

  len = frame4 (frame, "10.0.2.2", 6, rst, sizeof rst);
  g_assert_true (hako_slirp_guard_is_reset (frame, len, &host_port));
  g_assert_cmpuint (host_port, ==, 12345);
  len = frame4 (frame, "192.0.2.1", 6, rst, sizeof rst);
  g_assert_false (hako_slirp_guard_is_reset (frame, len, &host_port));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/net/forward-parse", test_forward_parse);
  g_test_add_func ("/net/config-resolve", test_config_resolve);
  g_test_add_func ("/net/outbound", test_outbound);
  g_test_add_func ("/net/dns-upstream", test_dns_upstream);
  g_test_add_func ("/net/guard", test_guard);
  return g_test_run ();
}
