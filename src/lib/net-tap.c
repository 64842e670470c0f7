#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sched.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "error.h"
#include "fd-util.h"
#include "i18n.h"
#include "net-tap.h"

/* The addresses libslirp's defaults give the guest (its vnetwork and
 * vprefix): the host side is .2 / ::2, DNS .3 / ::3. */
#define GUEST_ADDR4 "10.0.2.100"
#define GATEWAY4 "10.0.2.2"
#define GUEST_ADDR6 "fd00::100"
#define GATEWAY6 "fd00::2"

enum
{
  STEP_SETNS_USER,
  STEP_SETNS_NET,
  STEP_OPEN_TUN,
  STEP_TUNSETIFF,
  STEP_NETLINK,
  STEP_IFINDEX,
  STEP_MESSAGE, /* + index into the plan's messages */
};

#define MAX_MESSAGES 6
#define MESSAGE_SIZE 128

typedef enum
{
  MSG_LO_UP,
  MSG_TAP_UP,
  MSG_ADDR4,
  MSG_ROUTE4,
  MSG_ADDR6,
  MSG_ROUTE6,
} MessageKind;

struct HakoTapPlan
{
  /* Each message is aligned storage of MESSAGE_SIZE bytes; the child
   * writes tap0's ifindex at index_offset[i] (0: none) before sending. */
  union
  {
    struct nlmsghdr header;
    char bytes[MESSAGE_SIZE];
  } messages[MAX_MESSAGES];
  gsize index_offset[MAX_MESSAGES];
  int n_messages;
};

static void
add_attr (struct nlmsghdr *h, int type, const void *data, gsize len)
{
  struct rtattr *attr = (struct rtattr *) ((char *) h + NLMSG_ALIGN (h->nlmsg_len));

  attr->rta_type = type;
  attr->rta_len = RTA_LENGTH (len);
  memcpy (RTA_DATA (attr), data, len);
  h->nlmsg_len = NLMSG_ALIGN (h->nlmsg_len) + RTA_ALIGN (attr->rta_len);
}

static struct nlmsghdr *
begin_message (HakoTapPlan *plan, int type, gsize body_len)
{
  struct nlmsghdr *h = &plan->messages[plan->n_messages].header;

  g_assert (plan->n_messages < MAX_MESSAGES);
  h->nlmsg_type = type;
  h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | (type == RTM_NEWLINK ? 0 : NLM_F_CREATE | NLM_F_EXCL);
  h->nlmsg_seq = plan->n_messages + 1;
  h->nlmsg_len = NLMSG_LENGTH (body_len);
  plan->n_messages++;
  return h;
}

static void
add_link_up (HakoTapPlan *plan, int ifindex, guint mtu)
{
  struct nlmsghdr *h = begin_message (plan, RTM_NEWLINK, sizeof (struct ifinfomsg));
  struct ifinfomsg *ifi = NLMSG_DATA (h);

  ifi->ifi_family = AF_UNSPEC;
  ifi->ifi_index = ifindex;
  ifi->ifi_flags = IFF_UP;
  ifi->ifi_change = IFF_UP;
  if (ifindex == 0)
    plan->index_offset[plan->n_messages - 1] = (char *) &ifi->ifi_index - (char *) h;
  if (mtu)
    add_attr (h, IFLA_MTU, &(guint32){ mtu }, sizeof (guint32));
}

static void
add_address (HakoTapPlan *plan, int family, const char *text, int prefix_len)
{
  struct nlmsghdr *h = begin_message (plan, RTM_NEWADDR, sizeof (struct ifaddrmsg));
  struct ifaddrmsg *ifa = NLMSG_DATA (h);
  struct in6_addr addr;
  gsize len = family == AF_INET ? 4 : 16;

  inet_pton (family, text, &addr);
  ifa->ifa_family = family;
  ifa->ifa_prefixlen = prefix_len;
  plan->index_offset[plan->n_messages - 1] = (char *) &ifa->ifa_index - (char *) h;
  add_attr (h, IFA_LOCAL, &addr, len);
  add_attr (h, IFA_ADDRESS, &addr, len);
  /* Usable at once: nobody else is on this link to detect a duplicate. */
  if (family == AF_INET6)
    add_attr (h, IFA_FLAGS, &(guint32){ IFA_F_NODAD }, sizeof (guint32));
}

static void
add_default_route (HakoTapPlan *plan, int family, const char *gateway)
{
  struct nlmsghdr *h = begin_message (plan, RTM_NEWROUTE, sizeof (struct rtmsg));
  struct rtmsg *rtm = NLMSG_DATA (h);
  struct in6_addr addr;
  gsize oif_offset;

  inet_pton (family, gateway, &addr);
  rtm->rtm_family = family;
  rtm->rtm_table = RT_TABLE_MAIN;
  rtm->rtm_protocol = RTPROT_BOOT;
  rtm->rtm_scope = RT_SCOPE_UNIVERSE;
  rtm->rtm_type = RTN_UNICAST;
  add_attr (h, RTA_GATEWAY, &addr, family == AF_INET ? 4 : 16);
  oif_offset = NLMSG_ALIGN (h->nlmsg_len) + RTA_LENGTH (0);
  add_attr (h, RTA_OIF, &(gint32){ 0 }, sizeof (gint32));
  plan->index_offset[plan->n_messages - 1] = oif_offset;
}

HakoTapPlan *
hako_tap_plan_new (guint mtu)
{
  HakoTapPlan *plan = g_new0 (HakoTapPlan, 1);

  add_link_up (plan, 1, 0); /* lo is always ifindex 1 (LOOPBACK_IFINDEX) */
  add_link_up (plan, 0, mtu);
  add_address (plan, AF_INET, GUEST_ADDR4, 24);
  add_default_route (plan, AF_INET, GATEWAY4);
  add_address (plan, AF_INET6, GUEST_ADDR6, 64);
  add_default_route (plan, AF_INET6, GATEWAY6);
  return plan;
}

void
hako_tap_plan_free (HakoTapPlan *plan)
{
  g_free (plan);
}

/* ---- in the child: async-signal-safe only ---- */

static int
send_message (int nl, struct nlmsghdr *h)
{
  union
  {
    struct nlmsghdr header;
    char bytes[1024];
  } reply;
  struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
  ssize_t n;

  if (sendto (nl, h, h->nlmsg_len, 0, (struct sockaddr *) &kernel, sizeof kernel) < 0)
    return -1;
  do
    n = recv (nl, &reply, sizeof reply, 0);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return -1;
  if (n < (ssize_t) NLMSG_LENGTH (sizeof (struct nlmsgerr)) || reply.header.nlmsg_type != NLMSG_ERROR)
    {
      errno = EPROTO;
      return -1;
    }
  errno = -((struct nlmsgerr *) NLMSG_DATA (&reply.header))->error;
  return errno == 0 ? 0 : -1;
}

int
hako_tap_plan_apply (HakoTapPlan *plan, int userns_fd, int netns_fd, HakoChildError *err)
{
  struct ifreq ifr = { .ifr_flags = IFF_TAP | IFF_NO_PI };
  int tap, nl;

  /* The owner of the container's user namespace has every capability in
   * it, so may join it, and then its network namespace. */
  if (setns (userns_fd, CLONE_NEWUSER) < 0)
    return hako_child_fail (err, HAKO_CHILD_STAGE_NETWORK, STEP_SETNS_USER, errno);
  if (setns (netns_fd, CLONE_NEWNET) < 0)
    return hako_child_fail (err, HAKO_CHILD_STAGE_NETWORK, STEP_SETNS_NET, errno);
  /* A tun file belongs to the network namespace it was opened in. */
  tap = open ("/dev/net/tun", O_RDWR | O_CLOEXEC);
  if (tap < 0)
    return hako_child_fail (err, HAKO_CHILD_STAGE_NETWORK, STEP_OPEN_TUN, errno);
  memcpy (ifr.ifr_name, HAKO_TAP_NAME, sizeof HAKO_TAP_NAME);
  if (ioctl (tap, TUNSETIFF, &ifr) < 0)
    return hako_child_fail (err, HAKO_CHILD_STAGE_NETWORK, STEP_TUNSETIFF, errno);
  nl = socket (AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (nl < 0)
    return hako_child_fail (err, HAKO_CHILD_STAGE_NETWORK, STEP_NETLINK, errno);
  if (ioctl (nl, SIOCGIFINDEX, &ifr) < 0)
    return hako_child_fail (err, HAKO_CHILD_STAGE_NETWORK, STEP_IFINDEX, errno);
  for (int i = 0; i < plan->n_messages; i++)
    {
      struct nlmsghdr *h = &plan->messages[i].header;
      if (plan->index_offset[i])
        memcpy ((char *) h + plan->index_offset[i], &ifr.ifr_ifindex, sizeof (int));
      if (send_message (nl, h) < 0)
        return hako_child_fail (err, HAKO_CHILD_STAGE_NETWORK, STEP_MESSAGE + i, errno);
    }
  close (nl);
  return tap;
}

/* ---- in the runtime ---- */

char *
hako_tap_plan_describe_error (const HakoTapPlan *plan, const HakoChildError *err)
{
  static const char *const what[] = {
    [MSG_LO_UP] = "lo up",
    [MSG_TAP_UP] = HAKO_TAP_NAME " up",
    [MSG_ADDR4] = GUEST_ADDR4 "/24",
    [MSG_ROUTE4] = "default via " GATEWAY4,
    [MSG_ADDR6] = GUEST_ADDR6 "/64",
    [MSG_ROUTE6] = "default via " GATEWAY6,
  };
  const char *reason = g_strerror (err->saved_errno);

  switch (err->step)
    {
    case STEP_SETNS_USER:
    case STEP_SETNS_NET:
      return g_strdup_printf (_("network: cannot enter the container's %s namespace: %s"),
                              err->step == STEP_SETNS_USER ? "user" : "network", reason);
    case STEP_OPEN_TUN:
      return g_strdup_printf (_("network: cannot open /dev/net/tun: %s (load the tun module, and make the device usable, e.g. chmod 0666 /dev/net/tun; or use --network none)"),
                              reason);
    case STEP_TUNSETIFF:
      return g_strdup_printf (_("network: cannot create the tap device %s: %s"), HAKO_TAP_NAME, reason);
    default:
      if (err->step >= STEP_MESSAGE && err->step < STEP_MESSAGE + plan->n_messages)
        return g_strdup_printf (_("network: cannot set %s in the container: %s"),
                                what[err->step - STEP_MESSAGE], reason);
      return g_strdup_printf (_("network: cannot configure %s over netlink: %s"), HAKO_TAP_NAME, reason);
    }
}

/* The child: applies PLAN, sends ERR and, on success, the tap fd on SOCK. */
static G_GNUC_NORETURN void
run_tap_child (HakoTapPlan *plan, int userns_fd, int netns_fd, int sock)
{
  HakoChildError err = { 0 };
  union
  {
    struct cmsghdr header;
    char bytes[CMSG_SPACE (sizeof (int))];
  } control = { 0 };
  struct iovec iov = { .iov_base = &err, .iov_len = sizeof err };
  struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
  int tap = hako_tap_plan_apply (plan, userns_fd, netns_fd, &err);

  if (tap >= 0)
    {
      msg.msg_control = control.bytes;
      msg.msg_controllen = sizeof control.bytes;
      control.header.cmsg_level = SOL_SOCKET;
      control.header.cmsg_type = SCM_RIGHTS;
      control.header.cmsg_len = CMSG_LEN (sizeof (int));
      memcpy (CMSG_DATA (&control.header), &tap, sizeof tap);
    }
  _exit (sendmsg (sock, &msg, 0) < 0);
}

static int
receive_tap (int sock, HakoChildError *err)
{
  union
  {
    struct cmsghdr header;
    char bytes[CMSG_SPACE (sizeof (int))];
  } control;
  struct iovec iov = { .iov_base = err, .iov_len = sizeof *err };
  struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.bytes,
                        .msg_controllen = sizeof control.bytes };
  struct cmsghdr *cmsg;
  ssize_t n;
  int fd = -1;

  do
    n = recvmsg (sock, &msg, MSG_CMSG_CLOEXEC);
  while (n < 0 && errno == EINTR);
  if (n != sizeof *err)
    {
      hako_child_fail (err, HAKO_CHILD_STAGE_NETWORK, STEP_NETLINK, n < 0 ? errno : EPIPE);
      return -1;
    }
  cmsg = CMSG_FIRSTHDR (&msg);
  if (cmsg && cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SCM_RIGHTS)
    memcpy (&fd, CMSG_DATA (cmsg), sizeof fd);
  return fd;
}

int
hako_tap_create (int userns_fd, int netns_fd, guint mtu, GError **error)
{
  g_autoptr (HakoTapPlan) plan = hako_tap_plan_new (mtu);
  HakoChildError err = { 0 };
  int sock[2];
  pid_t child;
  int tap;

  if (userns_fd < 0 || netns_fd < 0)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_FAILED,
                   _("network: cannot open the container process's namespaces (is the container's root someone else than the caller? see linux.uidMappings)"));
      return -1;
    }
  if (socketpair (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sock) < 0)
    {
      hako_error_set_errno (error, errno, "socketpair");
      return -1;
    }
  child = fork ();
  if (child == 0)
    {
      close (sock[0]);
      run_tap_child (plan, userns_fd, netns_fd, sock[1]);
    }
  close (sock[1]);
  if (child < 0)
    {
      close (sock[0]);
      hako_error_set_errno (error, errno, "fork");
      return -1;
    }
  tap = receive_tap (sock[0], &err);
  close (sock[0]);
  waitpid (child, NULL, 0);
  if (tap < 0)
    {
      g_autofree char *message = hako_tap_plan_describe_error (plan, &err);
      g_set_error_literal (error, HAKO_ERROR, HAKO_ERROR_FAILED, message);
    }
  return tap;
}
