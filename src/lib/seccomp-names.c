#include "config.h"

#include <seccomp.h>
#include <string.h>

#include "seccomp-names.h"

const char *const hako_seccomp_action_names[] = {
  "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP",
  "SCMP_ACT_ERRNO", "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY",
  NULL,
};

const char *const hako_seccomp_operator_names[] = {
  "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT",
  "SCMP_CMP_MASKED_EQ", NULL,
};

const char *const hako_seccomp_arch_names[] = {
  "SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32", "SCMP_ARCH_ARM", "SCMP_ARCH_AARCH64",
  "SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K", "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64",
  "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32",
  "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64", "SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390", "SCMP_ARCH_S390X",
  "SCMP_ARCH_SH", "SCMP_ARCH_SHEB", "SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64",
  "SCMP_ARCH_RISCV64", NULL,
};

const char *const hako_seccomp_flag_names[] = {
  "SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
  "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", NULL,
};

char *
hako_seccomp_arch_token (const char *oci_name)
{
  if (!g_str_has_prefix (oci_name, "SCMP_ARCH_"))
    return NULL;
  return g_ascii_strdown (oci_name + strlen ("SCMP_ARCH_"), -1);
}

gboolean
hako_seccomp_flag_supported (const char *oci_name)
{
  /* libseccomp's API level says which filter attributes it can apply on this kernel. */
  unsigned int api = seccomp_api_get ();

  if (g_str_equal (oci_name, "SECCOMP_FILTER_FLAG_TSYNC"))
    return api >= 2;
  if (g_str_equal (oci_name, "SECCOMP_FILTER_FLAG_LOG"))
    return api >= 3;
  if (g_str_equal (oci_name, "SECCOMP_FILTER_FLAG_SPEC_ALLOW"))
    return api >= 4;
  /* SCMP_FLTATR_CTL_WAITKILL (an enum member, so no #ifdef) arrived in libseccomp 2.6. */
#if SCMP_VER_MAJOR > 2 || (SCMP_VER_MAJOR == 2 && SCMP_VER_MINOR >= 6)
  if (g_str_equal (oci_name, "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"))
    return api >= 7;
#endif
  return FALSE;
}
