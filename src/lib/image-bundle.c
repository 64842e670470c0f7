#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <json-glib/json-glib.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "error.h"
#include "fd-util.h"
#include "i18n.h"
#include "image-bundle.h"
#include "overlay.h"
#include "spec-default.h"

#define FILE_MAX (1024 * 1024)

/* Field OUT_FIELD (an id) of the first line of DB (passwd or group text)
 * whose field KEY_FIELD is KEY. */
static gboolean
lookup_id (const char *db, guint key_field, const char *key, guint out_field, guint32 *out)
{
  g_auto (GStrv) lines = db ? g_strsplit (db, "\n", -1) : NULL;

  for (char **line = lines; line && *line; line++)
    {
      g_auto (GStrv) fields = g_strsplit (*line, ":", -1);
      guint n = g_strv_length (fields);
      guint64 id;
      if (n > key_field && n > out_field && g_str_equal (fields[key_field], key)
          && g_ascii_string_to_unsigned (fields[out_field], 10, 0, G_MAXUINT32 - 1, &id, NULL))
        {
          *out = id;
          return TRUE;
        }
    }
  return FALSE;
}

/* NAME as a number, or looked up by name in DB (FILE, for the message). */
static gboolean
resolve_id (const char *user, const char *name, const char *db, const char *file, guint32 *out,
            GError **error)
{
  guint64 id;

  if (g_ascii_string_to_unsigned (name, 10, 0, G_MAXUINT32 - 1, &id, NULL))
    {
      *out = id;
      return TRUE;
    }
  if (lookup_id (db, 0, name, 2, out))
    return TRUE;
  g_set_error (error, HAKO_ERROR, HAKO_ERROR_CONFIG,
               _("the image's config.User \"%s\": no \"%s\" in the image's %s: use a numeric id"),
               user, name, file);
  return FALSE;
}

gboolean
hako_image_resolve_user (const char *user, const char *passwd, const char *group, guint32 *uid,
                         guint32 *gid, GError **error)
{
  g_auto (GStrv) parts = g_strsplit (user, ":", 2);
  g_autofree char *uid_text = NULL;

  if (*parts[0] == '\0' || (parts[1] && *parts[1] == '\0'))
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_CONFIG,
                   _("the image's config.User \"%s\" is not USER, UID, USER:GROUP or UID:GID"), user);
      return FALSE;
    }
  if (!resolve_id (user, parts[0], passwd, "/etc/passwd", uid, error))
    return FALSE;
  if (parts[1])
    return resolve_id (user, parts[1], group, "/etc/group", gid, error);
  /* The user's primary group, or 0 for an id the image does not list. */
  uid_text = g_strdup_printf ("%u", *uid);
  *gid = 0;
  lookup_id (passwd, 2, uid_text, 3, gid);
  return TRUE;
}

/* The image's file DIR/NAME (etc/passwd), from the topmost layer that
 * has it; NULL when none does or one above deletes it. */
static char *
read_image_file (const char *const *layer_dirs, const char *dir, const char *name)
{
  guint n = g_strv_length ((char **) layer_dirs);

  for (guint i = n; i-- > 0;)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *whiteout_name = g_strconcat (".wh.", name, NULL);
      g_autofree char *whiteout = g_build_filename (dir, whiteout_name, NULL);
      struct open_how how = { .flags = O_RDONLY | O_CLOEXEC, .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS };
      hako_autofd int root_fd = open (layer_dirs[i], O_PATH | O_DIRECTORY | O_CLOEXEC);
      hako_autofd int fd = -1;
      char *text;
      ssize_t len;

      if (root_fd < 0)
        continue;
      if (faccessat (root_fd, whiteout, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
        return NULL;
      fd = syscall (SYS_openat2, root_fd, path, &how, sizeof how);
      if (fd < 0)
        continue;
      text = g_malloc (FILE_MAX + 1);
      len = read (fd, text, FILE_MAX);
      text[MAX (len, 0)] = '\0';
      return text;
    }
  return NULL;
}

static JsonNode *
strv_node (const char *const *strv)
{
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  for (; strv && *strv; strv++)
    json_array_add_string_element (array, *strv);
  json_node_take_array (node, array);
  return node;
}

static gboolean
set_args (JsonObject *process, const HakoImageConfig *config, const char *const *args,
          GError **error)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) argv = NULL;

  if (config->entrypoint)
    g_strv_builder_addv (builder, (const char **) config->entrypoint);
  if (args && *args)
    g_strv_builder_addv (builder, (const char **) args);
  else if (config->cmd)
    g_strv_builder_addv (builder, (const char **) config->cmd);
  argv = g_strv_builder_end (builder);
  if (*argv == NULL)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_CONFIG,
                   _("the image's config has neither Entrypoint nor Cmd: give the command after the container id"));
      return FALSE;
    }
  json_object_set_member (process, "args", strv_node ((const char *const *) argv));
  return TRUE;
}

/* The base's variables, each replaced by the image's of the same name. */
static void
set_env (JsonObject *process, const HakoImageConfig *config)
{
  g_autoptr (GPtrArray) env = g_ptr_array_new_with_free_func (g_free);
  JsonArray *base = json_object_has_member (process, "env") ? json_object_get_array_member (process, "env") : NULL;

  for (guint i = 0; base && i < json_array_get_length (base); i++)
    g_ptr_array_add (env, g_strdup (json_array_get_string_element (base, i)));
  for (char **var = config->env; var && *var; var++)
    {
      const char *eq = strchr (*var, '=');
      gsize name_len = eq ? (gsize) (eq - *var) : strlen (*var);
      guint i;
      for (i = 0; i < env->len; i++)
        if (strncmp (env->pdata[i], *var, name_len) == 0 && ((char *) env->pdata[i])[name_len] == '=')
          break;
      if (i < env->len)
        {
          g_free (env->pdata[i]);
          env->pdata[i] = g_strdup (*var);
        }
      else
        g_ptr_array_add (env, g_strdup (*var));
    }
  g_ptr_array_add (env, NULL);
  json_object_set_member (process, "env", strv_node ((const char *const *) env->pdata));
}

static gboolean
set_user (JsonObject *process, const HakoImageConfig *config, const char *const *layer_dirs,
          GError **error)
{
  g_autofree char *passwd = NULL, *group = NULL;
  JsonObject *user;
  guint32 uid, gid;

  if (config->user == NULL)
    return TRUE;
  passwd = read_image_file (layer_dirs, "etc", "passwd");
  group = read_image_file (layer_dirs, "etc", "group");
  if (!hako_image_resolve_user (config->user, passwd, group, &uid, &gid, error))
    return FALSE;
  user = json_object_new ();
  json_object_set_int_member (user, "uid", uid);
  json_object_set_int_member (user, "gid", gid);
  json_object_set_object_member (process, "user", user);
  return TRUE;
}

static JsonObject *
child_object (JsonObject *parent, const char *member)
{
  if (!json_object_has_member (parent, member) || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (parent, member)))
    json_object_set_object_member (parent, member, json_object_new ());
  return json_object_get_object_member (parent, member);
}

static void
set_annotations (JsonObject *config_object, const HakoImageConfig *config)
{
  JsonObject *annotations = child_object (config_object, "annotations");
  GHashTableIter iter;
  gpointer key, value;

  if (config->labels)
    {
      g_hash_table_iter_init (&iter, config->labels);
      while (g_hash_table_iter_next (&iter, &key, &value))
        if (!g_str_has_prefix (key, "org.hako."))
          json_object_set_string_member (annotations, key, value);
    }
  /* The layers come only through the overlay. */
  json_object_set_string_member (annotations, HAKO_ANNOTATION_ROOTFS, "overlay");
}

char *
hako_image_bundle_config (const HakoImage *image, const char *base, gsize base_length,
                          const char *const *layer_dirs, const char *const *args, GError **error)
{
  g_autofree char *default_config = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  JsonObject *config, *process, *root;
  guint n_layers = g_strv_length ((char **) layer_dirs);

  if (base == NULL)
    {
      default_config = hako_spec_default_generate (HAKO_SPEC_DEFAULT_AUTO_MAPPINGS, TRUE,
                                                   getuid (), getgid (), error);
      if (default_config == NULL)
        return NULL;
      base = default_config;
      base_length = strlen (base);
    }
  if (!json_parser_load_from_data (parser, base, base_length, error)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      if (error && *error == NULL)
        g_set_error (error, HAKO_ERROR, HAKO_ERROR_CONFIG, _("config.json is not a JSON object"));
      g_prefix_error (error, "config.json: ");
      return NULL;
    }
  if (n_layers == 0)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_CONFIG, _("the image has no layers"));
      return NULL;
    }
  config = json_node_get_object (json_parser_get_root (parser));
  process = child_object (config, "process");
  root = child_object (config, "root");
  if (!set_args (process, &image->config, args, error)
      || !set_user (process, &image->config, layer_dirs, error))
    return NULL;
  set_env (process, &image->config);
  json_object_set_string_member (process, "cwd", image->config.working_dir ? image->config.working_dir : "/");
  json_object_set_string_member (root, "path", layer_dirs[n_layers - 1]);
  /* Only the default's: a bundle given as the base chose for itself. */
  if (default_config)
    json_object_set_boolean_member (root, "readonly", FALSE);
  set_annotations (config, &image->config);
  json_generator_set_root (generator, json_parser_get_root (parser));
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, NULL);
}
