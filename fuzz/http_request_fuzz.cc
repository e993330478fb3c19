// Feeds raw bytes to the server's request parsing, under the server's limits
// (ParseHttpRequest, as a connection reads a request), and what parses to
// the API's route table over an in-memory store: routing, path parameters,
// the query string, the bearer token and the handlers must answer every
// request with a status, never crash, hang or leak.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "engine/ingest_pipeline.h"
#include "ingest/ingest_testing.h"
#include "server/api.h"
#include "server/auth.h"
#include "server/http_server.h"
#include "store/memory_store.h"

namespace {

using namespace vigil;

// The bearer token the seeds carry, stored as an admin's.
const std::string kSecret = "vgl_" + std::string(43, 'f');

struct World {
  World() {
    const Timestamp now = clock.Now();
    (void)store->CreateToken({.id = "fuzz",
                              .name = "fuzz",
                              .role = "admin",
                              .hash = server::HashToken(kSecret),
                              .created = now},
                             {now, "fuzz", "token.create", "fuzz", ""});
    stage = std::move(WarningStage::Open(catalogue, *store, clock)).value();
    ingest = std::move(IngestPipeline::Open(catalogue, *store, *stage, clock)).value();
    api = std::make_unique<server::Api>(server::ApiContext{
        .catalogue = catalogue,
        .store = *store,
        .stage = *stage,
        .ingest = *ingest,
        .clock = clock,
        .cap = {.dir = std::filesystem::temp_directory_path() / "vigil-http-fuzz-cap"}});
  }

  Catalogue catalogue = testing_catalogue::Make();
  std::unique_ptr<Store> store = NewMemoryStore();
  FakeClock clock{*ParseRfc3339("2025-01-01T00:00:00Z")};
  std::unique_ptr<WarningStage> stage;
  std::unique_ptr<IngestPipeline> ingest;
  std::unique_ptr<server::Api> api;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static World world;
  // Small limits, so that the fuzzer reaches them.
  static const server::ServerOptions limits = {.max_body_bytes = 4096, .max_header_bytes = 2048};
  std::variant<server::Request, server::Response> parsed =
      server::ParseHttpRequest({reinterpret_cast<const char*>(data), size}, limits);
  if (const auto* refused = std::get_if<server::Response>(&parsed)) {
    if (refused->status < 400 || refused->status > 499 || refused->body.empty()) {
      __builtin_trap();  // a refusal of the bytes is the client's error, and says so
    }
    return 0;
  }
  server::Response response = world.api->Handle(std::get<server::Request>(parsed));
  if (response.status < 200 || response.status > 599) {
    __builtin_trap();
  }
  if (response.stream) {
    response.stream->Close();
  }
  return 0;
}
