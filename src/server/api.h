// The HTTP API of a workspace: its route table (health probes, the OpenAPI
// description, the catalogue, warnings and their acknowledgement, the
// published CAP messages) over the catalogue, store and warning stage that
// the composition root opens and lends. docs/SERVER.md lists the routes.
//
// Warning writes go through the warning stage as `vigil warnings` does
// (engine/warning_ops.h): committed with an audit record naming the token,
// then republished as CAP.
//
// Thread safety: Handle may run on several threads at once. The store and
// the stage are used under one lock; the catalogue is immutable.
#pragma once

#include <mutex>
#include <string>

#include "core/clock.h"
#include "engine/warning_stage.h"
#include "model/catalogue.h"
#include "publish/warning_publication.h"
#include "server/router.h"
#include "store/store.h"

namespace vigil::server {

// What the API borrows; each must outlive it.
struct ApiContext {
  const Catalogue& catalogue;
  Store& store;
  WarningStage& stage;
  const Clock& clock;
  publish::PublishOptions cap;  // where the workspace's CAP is published, and served from
};

class Api {
 public:
  explicit Api(ApiContext context);
  Api(const Api&) = delete;
  Api& operator=(const Api&) = delete;

  Response Handle(Request& request);
  const Router& router() const { return router_; }

 private:
  void AddMetaRoutes();
  void AddWarningRoutes();
  void AddCapRoutes();

  Response Ready();
  Response CatalogueJson(const Request& request) const;
  Response ListWarnings(const Request& request);
  Response ShowWarning(const Request& request);
  Response Acknowledge(const Request& request);
  Response Feed(const Request& request);
  Response CapMessage(const Request& request);

  ApiContext context_;
  std::mutex mutex_;  // guards the store and the stage
  Router router_;
};

}  // namespace vigil::server
