#include "config/starter.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "config/config.h"

namespace vigil {
namespace {

class StarterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("vigil_starter_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(StarterTest, StarterCatalogueIsValid) {
  auto catalogue = LoadCatalogueText(StarterWorkspace().front().content, "workspace.yaml");
  ASSERT_TRUE(catalogue.ok()) << catalogue.status().message();
  EXPECT_EQ(catalogue->regions().size(), 3u);
  EXPECT_EQ(catalogue->indicators().size(), 2u);
  EXPECT_EQ(catalogue->agencies().size(), 2u);
}

TEST_F(StarterTest, WritesCatalogueAndData) {
  ASSERT_TRUE(WriteStarterWorkspace(dir_, false).ok());
  EXPECT_TRUE(std::filesystem::exists(dir_ / "data" / "example.csv"));
  EXPECT_TRUE(LoadWorkspaceCatalogue(dir_).ok());
}

TEST_F(StarterTest, RefusesToOverwriteWithoutForce) {
  std::filesystem::create_directories(dir_);
  std::ofstream(dir_ / "workspace.yaml") << "# mine\n";
  Status s = WriteStarterWorkspace(dir_, false);
  EXPECT_EQ(s.code(), StatusCode::kAlreadyExists);
  std::ifstream in(dir_ / "workspace.yaml");
  std::string first_line;
  std::getline(in, first_line);
  EXPECT_EQ(first_line, "# mine");
  EXPECT_FALSE(std::filesystem::exists(dir_ / "data"));
}

TEST_F(StarterTest, ForceOverwrites) {
  std::filesystem::create_directories(dir_);
  std::ofstream(dir_ / "workspace.yaml") << "# mine\n";
  ASSERT_TRUE(WriteStarterWorkspace(dir_, true).ok());
  EXPECT_TRUE(LoadWorkspaceCatalogue(dir_).ok());
}

}  // namespace
}  // namespace vigil
