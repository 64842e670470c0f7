/* The options create and run share, as runc has them. */
#include "config.h"

#include "commands.h"
#include "i18n.h"

void
hako_cli_create_args_clear (HakoCliCreateArgs *args)
{
  g_clear_pointer (&args->bundle, g_free);
  g_clear_pointer (&args->pid_file, g_free);
  g_clear_pointer (&args->console_socket, g_free);
  g_clear_pointer (&args->root, g_free);
  g_clear_pointer (&args->network, g_free);
  g_clear_pointer (&args->publish, g_strfreev);
  g_clear_pointer (&args->dns, g_free);
  g_clear_pointer (&args->outbound_addr, g_strfreev);
  g_clear_pointer (&args->outbound_if, g_free);
  g_clear_pointer (&args->image, g_free);
}

gboolean
hako_cli_parse_create (const char *command, const char *summary, const GOptionEntry *extra,
                       HakoGlobalOptions *global, HakoCliCreateArgs *args, int *argc,
                       char ***argv, HakoCreateOptions *options, GError **error)
{
  const GOptionEntry entries[] = {
    { "bundle", 'b', 0, G_OPTION_ARG_FILENAME, &args->bundle, N_("Bundle directory (default: the current directory)"), N_("DIR") },
    { "console-socket", 0, 0, G_OPTION_ARG_FILENAME, &args->console_socket, N_("Send the pseudo-terminal master of process.terminal to the unix socket at PATH"), N_("PATH") },
    { "pid-file", 0, 0, G_OPTION_ARG_FILENAME, &args->pid_file, N_("Write the container process's pid to FILE"), N_("FILE") },
    { "no-pivot", 0, 0, G_OPTION_ARG_NONE, &args->no_pivot, N_("Use MS_MOVE and chroot instead of pivot_root"), NULL },
    { "no-new-keyring", 0, 0, G_OPTION_ARG_NONE, &args->no_new_keyring, N_("Keep the caller's session keyring instead of a new one"), NULL },
    { "preserve-fds", 0, 0, G_OPTION_ARG_INT, &args->preserve_fds, N_("Pass N more file descriptors, from 3 (after LISTEN_FDS), to the container"), N_("N") },
    { "network", 0, 0, G_OPTION_ARG_STRING, &args->network, N_("slirp: give the container's new network namespace tap0 and user-mode networking; pasta: the same by pasta (Debian's passt), where installed; none: leave it as configured (default: the annotation org.hako.network)"), N_("MODE") },
    { "mtu", 0, 0, G_OPTION_ARG_INT, &args->mtu, N_("MTU of the container's tap0 (default 65520)"), N_("N") },
    { "allow-host-loopback", 0, 0, G_OPTION_ARG_NONE, &args->allow_host_loopback, N_("Let the container reach the host's loopback at 10.0.2.2"), NULL },
    { "dns", 0, 0, G_OPTION_ARG_STRING, &args->dns, N_("Forward the container's DNS queries to 10.0.2.3 to this server (default: the host's first nameserver)"), N_("IP[:PORT]") },
    { "outbound-addr", 0, 0, G_OPTION_ARG_STRING_ARRAY, &args->outbound_addr, N_("Make the container's outbound connections from this address of the host (an IPv4 and an IPv6 one at most)"), N_("IP") },
    { "outbound-if", 0, 0, G_OPTION_ARG_STRING, &args->outbound_if, N_("Make the container's outbound connections from the addresses of this host interface"), N_("NAME") },
    { "publish", 'p', 0, G_OPTION_ARG_STRING_ARRAY, &args->publish, N_("Forward a host port to the container (repeatable)"), N_("[HOSTIP:]HOSTPORT:CTRPORT[/tcp|/udp]") },
    { "overlay", 0, 0, G_OPTION_ARG_NONE, &args->overlay, N_("Mount the rootfs through fuse-overlayfs, writes kept per container (default: the annotation org.hako.rootfs)"), NULL },
    { "image", 0, 0, G_OPTION_ARG_FILENAME, &args->image, N_("Run the OCI image layout DIR, its manifest REF (default: the only one, or \"latest\"), its layers through the overlay; ARGS after the ID replace its Cmd. The config is hako spec's, or --bundle's config.json (root.path ignored), with the image's; the state directory keeps it, and is the bundle without --bundle"), N_("DIR[:REF]") },
    { NULL },
  };
  const char *id;
  int first_arg = 2;

  if (!hako_cli_parse_options_with (command, _("ID [ARGS...]"), summary, entries, extra, argc, argv, error)
      || !hako_cli_container_id (command, *argc, *argv, args->image ? MAX (*argc - 2, 0) : 0, &id, error)
      || !hako_cli_preserve_fds (args->preserve_fds, error)
      || (args->root = hako_cli_state_root (global, error)) == NULL)
    return FALSE;
  /* "ID -- ARGS": the separator is not an argument. */
  if (*argc > 2 && g_str_equal ((*argv)[2], "--"))
    first_arg = 3;
  *options = (HakoCreateOptions){ .root = args->root, .id = id,
                                  .bundle = args->bundle ? args->bundle : args->image ? NULL : ".",
                                  .image = args->image,
                                  .image_args = (const char *const *) &(*argv)[first_arg],
                                  .pid_file = args->pid_file, .no_pivot = args->no_pivot,
                                  .no_new_keyring = args->no_new_keyring,
                                  .preserve_fds = args->preserve_fds,
                                  .overlay = args->overlay,
                                  .console_socket = args->console_socket,
                                  .cgroup_manager = global->systemd_cgroup ? "systemd" : global->cgroup_manager,
                                  .net = { .network = args->network, .mtu = args->mtu,
                                           .allow_host_loopback = args->allow_host_loopback,
                                           .publish = (const char *const *) args->publish,
                                           .dns = args->dns,
                                           .outbound_addr = (const char *const *) args->outbound_addr,
                                           .outbound_if = args->outbound_if } };
  return TRUE;
}
