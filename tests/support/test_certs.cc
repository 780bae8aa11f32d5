#include "tests/support/test_certs.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace silt::testing {
namespace {

constexpr char kServerExtensions[] =
    "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
    "extendedKeyUsage=serverAuth\n"
    "basicConstraints=CA:FALSE\n";
constexpr char kClientExtensions[] =
    "extendedKeyUsage=clientAuth\n"
    "basicConstraints=CA:FALSE\n";

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

Status TestCerts::Run(const std::string& command) {
  const std::string log = Path("openssl.log");
  const std::string full = "cd '" + dir() + "' && " + command + " >'" + log + "' 2>&1";
  const int rc = std::system(full.c_str());
  if (rc != 0) {
    return Status::IOError("test certificates: `" + command + "` failed (" + std::to_string(rc) +
                           "): " + ReadFile(log));
  }
  return Status::Ok();
}

Status TestCerts::MakeCa(const std::string& name, const std::string& common_name) {
  return Run("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
             " -keyout " + name + ".key -out " + name + ".pem -days 3650 -subj '/CN=" +
             common_name + "' -addext 'basicConstraints=critical,CA:TRUE'"
             " -addext 'keyUsage=critical,keyCertSign,cRLSign'");
}

Status TestCerts::MakeKeyAndRequest(const std::string& name, const std::string& common_name) {
  return Run("openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout " +
             name + ".key -out " + name + ".csr -subj '/CN=" + common_name + "'");
}

Status TestCerts::Sign(const std::string& name, const std::string& ca,
                       const std::string& extensions) {
  return Run("openssl x509 -req -in " + name + ".csr -CA " + ca + ".pem -CAkey " + ca +
             ".key -CAcreateserial -days 365 -extfile " + extensions + " -out " + name + ".pem");
}

Status TestCerts::Generate() {
  WriteFile(Path("server.ext"), kServerExtensions);
  WriteFile(Path("client.ext"), kClientExtensions);
  SILT_RETURN_IF_ERROR(MakeCa("ca", "Silt Test CA"));
  SILT_RETURN_IF_ERROR(MakeCa("other-ca", "Other Test CA"));
  SILT_RETURN_IF_ERROR(MakeKeyAndRequest("server", "localhost"));
  SILT_RETURN_IF_ERROR(Sign("server", "ca", "server.ext"));
  SILT_RETURN_IF_ERROR(MakeKeyAndRequest("client", "agent-1"));
  SILT_RETURN_IF_ERROR(Sign("client", "ca", "client.ext"));
  SILT_RETURN_IF_ERROR(MakeKeyAndRequest("other-server", "localhost"));
  SILT_RETURN_IF_ERROR(Sign("other-server", "other-ca", "server.ext"));
  SILT_RETURN_IF_ERROR(MakeKeyAndRequest("other-client", "intruder"));
  SILT_RETURN_IF_ERROR(Sign("other-client", "other-ca", "client.ext"));
  // Expired certificates for the server and client keys: `openssl x509` in OpenSSL 3.0 cannot backdate,
  // `openssl ca` can (-startdate/-enddate), with a minimal CA config and database.
  WriteFile(Path("ca.cnf"),
            "[ca]\ndefault_ca = test_ca\n[test_ca]\ndir = " + dir() +
                "\ndatabase = $dir/index.txt\nnew_certs_dir = $dir\nserial = $dir/serial\n"
                "default_md = sha256\npolicy = policy_any\n[policy_any]\ncommonName = supplied\n");
  WriteFile(Path("index.txt"), "");
  WriteFile(Path("serial"), "1000\n");
  SILT_RETURN_IF_ERROR(
      Run("openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -in server.csr"
          " -startdate 20200101000000Z -enddate 20200102000000Z -extfile server.ext -notext"
          " -out expired.pem"));
  return Run("openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -in client.csr"
             " -startdate 20200101000000Z -enddate 20200102000000Z -extfile client.ext -notext"
             " -out expired-client.pem");
}

}  // namespace silt::testing
