/*
 * STAND-IN for `dc-native`, the keychain addon of Bitwarden Directory Connector >= 2026.6.
 *
 * It is the one native module of the real bwdc that cannot be built on the test machine:
 * dc-native is Rust (napi-rs) over bitwarden/clients' desktop_core, whose crates come from
 * outside the registries reachable there, and the bundle refuses to start without it (its
 * scripts/dc-native-sea-shim.mjs requires `dc_native.linux-x64-gnu.node` from the folder
 * of the bundle), even in plaintext-secrets mode. Everything else in the bwdc that the
 * tests run is the release's own code.
 *
 * This is a real N-API addon with dc-native's API (native/index.d.ts of the release),
 * behaving like the real one on a machine where no OS keychain can be reached (a server
 * without a D-Bus session, as under cron): isAvailable() resolves to false, and every
 * keychain operation rejects with an Error saying the keychain is unavailable. That is
 * enough for BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true, the mode a scheduled headless
 * sync uses, where bwdc never calls the keychain. A run reported with it must say so.
 *
 * Built by scripts/real-bwdc.sh: gcc -shared -fPIC -I/usr/include/node.
 */
#include <node_api.h>
#include <stdbool.h>

/* desktop_core::password::PASSWORD_NOT_FOUND (apps/desktop/desktop_native/core/src/password/mod.rs). */
#define PASSWORD_NOT_FOUND "Password not found."
#define UNAVAILABLE                                                                          \
  "The OS keychain is unavailable (dc-native stand-in: the real keychain addon could not " \
  "be built here). Set BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true."

#define CHECK(call)                                                                          \
  do {                                                                                       \
    if ((call) != napi_ok) return NULL;                                                      \
  } while (0)

/* A promise already rejected with Error(UNAVAILABLE), as the real async functions reject. */
static napi_value unavailable(napi_env env, napi_callback_info info) {
  (void)info;
  napi_deferred deferred;
  napi_value promise, message, error;
  CHECK(napi_create_promise(env, &deferred, &promise));
  CHECK(napi_create_string_utf8(env, UNAVAILABLE, NAPI_AUTO_LENGTH, &message));
  CHECK(napi_create_error(env, NULL, message, &error));
  CHECK(napi_reject_deferred(env, deferred, error));
  return promise;
}

/* A promise already resolved to false: isAvailable(), and migrateKeytarPassword(), which
 * the real addon makes a no-op off Windows. */
static napi_value resolves_false(napi_env env, napi_callback_info info) {
  (void)info;
  napi_deferred deferred;
  napi_value promise, value;
  CHECK(napi_create_promise(env, &deferred, &promise));
  CHECK(napi_get_boolean(env, false, &value));
  CHECK(napi_resolve_deferred(env, deferred, value));
  return promise;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_value passwords, not_found;
  CHECK(napi_create_object(env, &passwords));
  CHECK(napi_create_string_utf8(env, PASSWORD_NOT_FOUND, NAPI_AUTO_LENGTH, &not_found));
  napi_property_descriptor properties[] = {
      {"getPassword", NULL, unavailable, NULL, NULL, NULL, napi_enumerable, NULL},
      {"setPassword", NULL, unavailable, NULL, NULL, NULL, napi_enumerable, NULL},
      {"deletePassword", NULL, unavailable, NULL, NULL, NULL, napi_enumerable, NULL},
      {"isAvailable", NULL, resolves_false, NULL, NULL, NULL, napi_enumerable, NULL},
      {"migrateKeytarPassword", NULL, resolves_false, NULL, NULL, NULL, napi_enumerable, NULL},
      {"PASSWORD_NOT_FOUND", NULL, NULL, NULL, NULL, not_found, napi_enumerable, NULL},
  };
  CHECK(napi_define_properties(env, passwords, sizeof properties / sizeof properties[0], properties));
  CHECK(napi_set_named_property(env, exports, "passwords", passwords));
  return exports;
}

NAPI_MODULE(dc_native, init)
