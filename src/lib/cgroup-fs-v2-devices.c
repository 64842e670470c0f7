/* linux.resources.devices on cgroup v2, which takes device rules only as
 * an eBPF program of type BPF_PROG_TYPE_CGROUP_DEVICE attached to the
 * cgroup (the kernel's cgroup-v2 documentation, "Device controller").
 *
 * The program sees the access as a struct bpf_cgroup_dev_ctx and returns
 * 1 to allow, 0 to deny. It tries the rules from the last to the first,
 * the first that matches decides, and none matching denies: the same
 * outcome as v1's "deny all" followed by the rules in order. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/bpf.h>

#include "cgroup-private.h"
#include "error.h"
#include "fd-util.h"
#include "i18n.h"

#define INSN(code_, dst_, src_, off_, imm_) \
  ((struct bpf_insn){ .code = (code_), .dst_reg = (dst_), .src_reg = (src_), .off = (off_), .imm = (imm_) })

/* Registers: r1 the context; the program keeps type, access, major, minor. */
enum
{
  R_RET = 0,
  R_CTX = 1,
  R_ACCESS = 2,
  R_TYPE = 3,
  R_MAJOR = 4,
  R_MINOR = 5,
};

static guint32
access_bits (const char *access)
{
  guint32 bits = 0;

  if (access == NULL)
    return BPF_DEVCG_ACC_MKNOD | BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE;
  for (const char *c = access; *c; c++)
    bits |= *c == 'r' ? BPF_DEVCG_ACC_READ : *c == 'w' ? BPF_DEVCG_ACC_WRITE : *c == 'm' ? BPF_DEVCG_ACC_MKNOD : 0;
  return bits;
}

/* One rule: each test that fails jumps past the rest of the block, to the
 * next rule; passing them all returns the rule's verdict. TRUE when the
 * rule has no test, so that nothing after it can run. */
static gboolean
add_rule (GArray *program, const HakoDeviceRule *rule)
{
  const guint32 all = BPF_DEVCG_ACC_MKNOD | BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE;
  guint32 bits = access_bits (rule->access);
  guint start = program->len;
  struct bpf_insn insn;

  if (rule->type == 'c' || rule->type == 'b')
    {
      insn = INSN (BPF_JMP | BPF_JNE | BPF_K, R_TYPE, 0, 0,
                   rule->type == 'c' ? BPF_DEVCG_DEV_CHAR : BPF_DEVCG_DEV_BLOCK);
      g_array_append_val (program, insn);
    }
  /* An allow rule matches an access it covers whole; a deny rule one it
   * touches at all. */
  if (bits != all)
    {
      struct bpf_insn test[] = {
        INSN (BPF_ALU | BPF_MOV | BPF_X, R_RET, R_ACCESS, 0, 0),
        INSN (BPF_ALU | BPF_AND | BPF_K, R_RET, 0, 0, rule->allow ? (~bits & all) : bits),
        INSN (BPF_JMP | (rule->allow ? BPF_JNE : BPF_JEQ) | BPF_K, R_RET, 0, 0, 0),
      };
      g_array_append_vals (program, test, G_N_ELEMENTS (test));
    }
  if (rule->major.set && rule->major.value >= 0)
    {
      insn = INSN (BPF_JMP | BPF_JNE | BPF_K, R_MAJOR, 0, 0, (gint32) rule->major.value);
      g_array_append_val (program, insn);
    }
  if (rule->minor.set && rule->minor.value >= 0)
    {
      insn = INSN (BPF_JMP | BPF_JNE | BPF_K, R_MINOR, 0, 0, (gint32) rule->minor.value);
      g_array_append_val (program, insn);
    }
  {
    struct bpf_insn verdict[] = {
      INSN (BPF_ALU64 | BPF_MOV | BPF_K, R_RET, 0, 0, rule->allow ? 1 : 0),
      INSN (BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
    };
    g_array_append_vals (program, verdict, G_N_ELEMENTS (verdict));
  }
  for (guint i = start; i < program->len; i++)
    {
      struct bpf_insn *jump = &g_array_index (program, struct bpf_insn, i);
      if (BPF_CLASS (jump->code) == BPF_JMP && BPF_OP (jump->code) != BPF_EXIT)
        jump->off = program->len - i - 1;
    }
  return program->len - start == 2;
}

GArray *
hako_cgroup_device_program (const GPtrArray *rules)
{
  GArray *program = g_array_new (FALSE, TRUE, sizeof (struct bpf_insn));
  const struct bpf_insn prologue[] = {
    INSN (BPF_LDX | BPF_W | BPF_MEM, R_ACCESS, R_CTX, offsetof (struct bpf_cgroup_dev_ctx, access_type), 0),
    INSN (BPF_ALU | BPF_MOV | BPF_X, R_TYPE, R_ACCESS, 0, 0),
    INSN (BPF_ALU | BPF_AND | BPF_K, R_TYPE, 0, 0, 0xffff),
    INSN (BPF_ALU | BPF_RSH | BPF_K, R_ACCESS, 0, 0, 16),
    INSN (BPF_LDX | BPF_W | BPF_MEM, R_MAJOR, R_CTX, offsetof (struct bpf_cgroup_dev_ctx, major), 0),
    INSN (BPF_LDX | BPF_W | BPF_MEM, R_MINOR, R_CTX, offsetof (struct bpf_cgroup_dev_ctx, minor), 0),
  };
  const struct bpf_insn deny[] = {
    INSN (BPF_ALU64 | BPF_MOV | BPF_K, R_RET, 0, 0, 0),
    INSN (BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
  };
  gboolean decided = FALSE;

  g_array_append_vals (program, prologue, G_N_ELEMENTS (prologue));
  /* The verifier refuses code that cannot run: nothing after a rule that
   * matches every access. */
  for (guint i = rules->len; i > 0 && !decided; i--)
    decided = add_rule (program, rules->pdata[i - 1]);
  if (!decided)
    g_array_append_vals (program, deny, G_N_ELEMENTS (deny));
  return program;
}

static int
bpf (int command, union bpf_attr *attr)
{
  return syscall (SYS_bpf, command, attr, sizeof *attr);
}

gboolean
hako_cgroup_fs_apply_v2_devices (const char *dir, const HakoResources *r, GError **error)
{
  g_autoptr (GPtrArray) rules = NULL;
  g_autoptr (GArray) program = NULL;
  union bpf_attr load = { 0 }, attach = { 0 };
  hako_autofd int prog_fd = -1;
  hako_autofd int dir_fd = -1;

  if (r->n_devices == 0)
    return TRUE;
  rules = hako_cgroup_device_rules (r);
  program = hako_cgroup_device_program (rules);
  load.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
  load.insns = (guint64) (guintptr) program->data;
  load.insn_cnt = program->len;
  load.license = (guint64) (guintptr) "GPL";
  prog_fd = bpf (BPF_PROG_LOAD, &load);
  if (prog_fd < 0)
    return hako_error_set_errno (error, errno,
                                 _("config.json: linux.resources.devices: cannot load the cgroup v2 device filter"));
  dir_fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0)
    return hako_error_set_errno (error, errno, "%s", dir);
  attach.target_fd = dir_fd;
  attach.attach_bpf_fd = prog_fd;
  attach.attach_type = BPF_CGROUP_DEVICE;
  attach.attach_flags = BPF_F_ALLOW_MULTI;
  /* The cgroup holds the program from now on, until it is removed. */
  if (bpf (BPF_PROG_ATTACH, &attach) < 0)
    return hako_error_set_errno (error, errno,
                                 _("config.json: linux.resources.devices: cannot attach the device filter to %s"), dir);
  return TRUE;
}
