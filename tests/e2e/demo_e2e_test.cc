// `make demo` end to end: scripts/demo with the real binary simulates the
// scenario moved to end now, serves it on a free port, replays its last weeks
// through the API and stops the server; a port in use is refused up front.
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <regex>

#include "e2e_testing.h"
#include "notify/service_testing.h"

namespace vigil::e2e {
namespace {

namespace fs = std::filesystem;

class DemoTest : public VigilTest {
 protected:
  // Runs scripts/demo with `env` (VAR=value ...) into root_/demo.
  RunResult Demo(const std::string& env) {
    const fs::path out = root_ / "demo.out";
    const fs::path err = root_ / "demo.err";
    const std::string command =
        fmt::format("{} DEMO_STEP_SECONDS=0 '{}' '{}' '{}' >'{}' 2>'{}'", env, VIGIL_DEMO_SCRIPT,
                    bin_, (root_ / "demo").string(), out.string(), err.string());
    const int status = std::system(command.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, ReadFile(out), ReadFile(err)};
  }

  // Data rows of the replay's week files: what the server must have accepted.
  std::int64_t ReplayedRows() {
    std::int64_t rows = 0;
    for (const auto& entry : fs::directory_iterator(root_ / "demo" / "replay")) {
      if (entry.path().extension() == ".csv") {
        const std::string text = ReadFile(entry.path());
        rows += std::count(text.begin(), text.end(), '\n') - 1;  // the header
      }
    }
    return rows;
  }
};

TEST_F(DemoTest, ServesTheScenarioReplaysItsLastWeeksAndStops) {
  const int port = testing::FreePort();
  const RunResult r = Demo(fmt::format("DEMO_PORT={} DEMO_WEEKS=3 DEMO_SECONDS=0", port));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find(fmt::format("http://127.0.0.1:{}", port)), std::string::npos) << r.out;

  std::smatch token;
  ASSERT_TRUE(
      std::regex_search(r.out, token, std::regex(R"(token \(shown only now\):\n +(vgl_\S+))")))
      << r.out;
  const std::regex week_line(
      R"(week (\d{4}-W\d{2}) \((\d)/3\): (\d+) observations accepted, (\d+) warnings active)");
  std::int64_t accepted = 0;
  int steps = 0;
  for (auto it = std::sregex_iterator(r.out.begin(), r.out.end(), week_line);
       it != std::sregex_iterator(); ++it) {
    EXPECT_EQ(std::stoi((*it)[2]), ++steps);
    accepted += std::stoll((*it)[3]);
  }
  EXPECT_EQ(steps, 3) << r.out;
  EXPECT_GT(accepted, 0);
  EXPECT_EQ(accepted, ReplayedRows());
  EXPECT_NE(r.out.find("server stopped"), std::string::npos) << r.out;
  EXPECT_FALSE(testing::HttpReady(fmt::format("http://127.0.0.1:{}/healthz", port)));

  // The demo operator token has the operator's role.
  const RunResult tokens = Run(root_ / "demo" / "workspace", "token list");
  EXPECT_TRUE(std::regex_search(tokens.out, std::regex(R"(demo-operator +operator)")))
      << tokens.out;
}

TEST_F(DemoTest, RefusesAPortInUseBeforeDoingAnything) {
  const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(listener, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  ASSERT_EQ(::listen(listener, 1), 0);
  socklen_t length = sizeof(address);
  ASSERT_EQ(::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length), 0);
  const int port = ntohs(address.sin_port);

  const RunResult r = Demo(fmt::format("DEMO_PORT={}", port));
  ::close(listener);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(fmt::format("port {} on 127.0.0.1 is taken", port)), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("DEMO_PORT"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(root_ / "demo" / "workspace"));
}

}  // namespace
}  // namespace vigil::e2e
