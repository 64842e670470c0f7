#include "config.h"

#include <unistd.h>

#include "cgroup.h"
#include "container-pause.h"
#include "error.h"
#include "i18n.h"

static HakoCgroup *
state_cgroup (const HakoState *state)
{
  return hako_cgroup_from_state (state->cgroup_manager, (const char *const *) state->cgroup_paths,
                                 (const char *const *) state->cgroup_created);
}

static gboolean
set_paused_locked (const char *root, const char *id, gboolean paused, GError **error)
{
  const char *command = paused ? "pause" : "resume";
  g_autoptr (HakoState) state = hako_state_load (root, id, error);
  g_autoptr (HakoCgroup) cgroup = NULL;
  HakoStatus status;

  if (state == NULL)
    {
      hako_state_forget_missing (root, id, error ? *error : NULL);
      return FALSE;
    }
  status = hako_state_status (state);
  if (status != (paused ? HAKO_STATUS_RUNNING : HAKO_STATUS_PAUSED))
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_FAILED, _("container \"%s\" is %s: %s needs a %s container"),
                   id, hako_status_name (status), command, paused ? "running" : "paused");
      return FALSE;
    }
  cgroup = state_cgroup (state);
  if (cgroup == NULL)
    return hako_cgroup_refuse_missing (state->id, command, error);
  if (!hako_cgroup_freeze (cgroup, paused, error))
    {
      g_prefix_error (error, "%s %s: ", command, id);
      /* Half-frozen is no state to leave a container in. */
      if (paused)
        hako_cgroup_freeze (cgroup, FALSE, NULL);
      return FALSE;
    }
  state->recorded = paused ? HAKO_STATUS_PAUSED : HAKO_STATUS_RUNNING;
  return hako_state_save (root, state, error);
}

gboolean
hako_container_set_paused (const char *root, const char *id, gboolean paused, GError **error)
{
  int lock_fd;
  gboolean ok;

  if (!hako_container_id_check (id, error) || (lock_fd = hako_state_lock (root, id, error)) < 0)
    return FALSE;
  ok = set_paused_locked (root, id, paused, error);
  close (lock_fd);
  return ok;
}

void
hako_container_thaw (const HakoState *state)
{
  g_autoptr (HakoCgroup) cgroup = state_cgroup (state);

  if (cgroup)
    hako_cgroup_freeze (cgroup, FALSE, NULL);
}
