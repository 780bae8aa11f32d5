// TestCerts: a CA, certificates and keys for TLS tests, made with the real `openssl` command line
// in a temporary directory (the same commands docs/tls.md gives operators). Built once per test
// suite (TestCertsSuite); every file name is a method. Not thread-safe.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "shared/status/status.h"
#include "tests/support/temp_dir.h"

namespace silt::testing {

class TestCerts {
 public:
  // Runs the openssl commands; on failure the Status names the command and its output.
  Status Generate();

  const std::string& dir() const { return dir_.path(); }
  std::string Path(const std::string& name) const { return dir_.Path(name); }

  // "Silt Test CA" and what it signed.
  std::string ca() const { return Path("ca.pem"); }
  std::string server_cert() const { return Path("server.pem"); }  // SAN localhost, 127.0.0.1
  std::string server_key() const { return Path("server.key"); }
  std::string expired_server_cert() const { return Path("expired.pem"); }  // key: server_key
  std::string client_cert() const { return Path("client.pem"); }           // CN=agent-1
  std::string client_key() const { return Path("client.key"); }
  std::string expired_client_cert() const { return Path("expired-client.pem"); }  // client_key
  // "Other Test CA", unrelated to the first, and what it signed.
  std::string other_ca() const { return Path("other-ca.pem"); }
  std::string other_server_cert() const { return Path("other-server.pem"); }
  std::string other_server_key() const { return Path("other-server.key"); }
  std::string other_client_cert() const { return Path("other-client.pem"); }  // CN=intruder
  std::string other_client_key() const { return Path("other-client.key"); }

 private:
  Status Run(const std::string& command);
  Status MakeCa(const std::string& name, const std::string& common_name);
  Status MakeKeyAndRequest(const std::string& name, const std::string& common_name);
  Status Sign(const std::string& name, const std::string& ca, const std::string& extensions);

  TempDir dir_;
};

// A fixture whose suite shares one TestCerts, made before its first test (a failure to make them
// fails every test of the suite, with openssl's output) and deleted after its last.
class TestCertsSuite : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    certs_ = new TestCerts();
    Status generated = certs_->Generate();
    ASSERT_TRUE(generated.ok()) << generated;
  }
  static void TearDownTestSuite() {
    delete certs_;
    certs_ = nullptr;
  }

  static inline TestCerts* certs_ = nullptr;
};

}  // namespace silt::testing
