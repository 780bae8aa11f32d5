#include "agent/config/aggregator_config.h"

#include <algorithm>
#include <cctype>
#include <memory>

#include "shared/net/tls_context.h"

namespace silt::agent {
namespace {

using config::ObjectReader;

constexpr int64_t kMinBatchBytes = 4 << 10;
constexpr int64_t kMaxBatchBytes = 32 << 20;

void ReadTls(ObjectReader& r, AggregatorConfig::Tls* tls) {
  r.Object("tls", [&](ObjectReader& t) {
    t.Optional("enabled", &tls->enabled);
    t.Optional("ca_file", &tls->ca_file);
    t.Optional("cert_file", &tls->cert_file);
    t.Optional("key_file", &tls->key_file);
    t.Optional("server_name", &tls->server_name);
    t.Enum("min_version", &tls->min_version,
           {{"1.2", net::TlsVersion::kTls12}, {"1.3", net::TlsVersion::kTls13}});
    if (tls->cert_file.empty() != tls->key_file.empty()) {
      t.AddError(tls->cert_file.empty() ? "key_file" : "cert_file",
                 "cert_file and key_file go together (the client certificate for mutual TLS "
                 "and its key); set both or neither");
    }
    if (!tls->enabled && (!tls->ca_file.empty() || !tls->cert_file.empty())) {
      t.AddError("enabled",
                 "TLS is disabled but TLS files are set; remove `enabled: false` or the files");
    }
  });
}

void ReadSizes(ObjectReader& a, AggregatorConfig* c) {
  if (a.Optional("batch_max_bytes", &c->batch_max_bytes, config::ByteSize{}) &&
      (c->batch_max_bytes < kMinBatchBytes || c->batch_max_bytes > kMaxBatchBytes)) {
    a.AddError("batch_max_bytes", "batch_max_bytes must be between 4KiB and 32MiB");
  }
  if (a.Optional("max_inflight_batches", &c->max_inflight_batches) &&
      (c->max_inflight_batches == 0 || c->max_inflight_batches > 1024)) {
    a.AddError("max_inflight_batches", "max_inflight_batches must be between 1 and 1024");
  }
  if (a.Optional("max_buffered_bytes", &c->max_buffered_bytes, config::ByteSize{}) &&
      c->max_buffered_bytes < c->batch_max_bytes) {
    a.AddError("max_buffered_bytes",
               "max_buffered_bytes must be at least batch_max_bytes (it bounds the batches "
               "held in memory)");
  }
}

void ReadTimes(ObjectReader& a, AggregatorConfig* c) {
  a.Optional("linger", &c->linger_ns, config::Duration{});
  auto positive = [&](std::string_view key, int64_t* value) {
    if (a.Optional(key, value, config::Duration{}) && *value <= 0) {
      a.AddError(key, std::string(key) + " must be greater than 0");
    }
  };
  positive("backoff_min", &c->backoff_min_ns);
  positive("backoff_max", &c->backoff_max_ns);
  positive("connect_timeout", &c->connect_timeout_ns);
  a.Optional("shutdown_timeout", &c->shutdown_timeout_ns, config::Duration{});
  if (c->backoff_min_ns > c->backoff_max_ns) {
    a.AddError("backoff_min", "backoff_min must not exceed backoff_max");
  }
}

}  // namespace

bool SplitHostPort(const std::string& address, std::string* host, int* port) {
  const size_t colon = address.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == address.size() ||
      address.size() - colon > 6) {
    return false;
  }
  const std::string digits = address.substr(colon + 1);
  if (!std::all_of(digits.begin(), digits.end(),
                   [](unsigned char ch) { return std::isdigit(ch) != 0; })) {
    return false;
  }
  const int value = std::stoi(digits);
  if (value <= 0 || value > 65535) return false;
  std::string name = address.substr(0, colon);
  if (name.front() == '[') {
    if (name.size() < 3 || name.back() != ']') return false;
    name = name.substr(1, name.size() - 2);
  } else if (name.find(':') != std::string::npos) {
    return false;  // a bare IPv6 literal needs brackets
  }
  *host = name;
  *port = value;
  return true;
}

net::TlsClientOptions TlsClientOptionsOf(const AggregatorConfig& config) {
  net::TlsClientOptions tls;
  tls.ca_file = config.tls.ca_file;
  tls.cert_file = config.tls.cert_file;
  tls.key_file = config.tls.key_file;
  tls.server_name = config.tls.server_name;
  tls.min_version = config.tls.min_version;
  return tls;
}

Status CheckTlsFiles(const AggregatorConfig& config) {
  if (!config.tls.enabled) return Status::Ok();
  Result<std::unique_ptr<net::TlsContext>> context =
      net::TlsContext::ForClient(TlsClientOptionsOf(config));
  return context.ok() ? Status::Ok() : context.status().WithContext("aggregator.tls");
}

void ReadAggregatorConfig(ObjectReader& r, std::string_view key,
                          std::optional<AggregatorConfig>* out) {
  AggregatorConfig c;
  const bool present = r.Object(key, [&](ObjectReader& a) {
    if (a.Optional("address", &c.address) && !SplitHostPort(c.address, &c.host, &c.port)) {
      a.AddError("address",
                 "expected host:port such as aggregator.example.com:7458 or "
                 "[::1]:7458 (port 1-65535), got \"" +
                     c.address + "\"");
    }
    a.Optional("token", &c.token);
    ReadTls(a, &c.tls);
    ReadSizes(a, &c);
    ReadTimes(a, &c);
  });
  if (present) *out = std::move(c);
}

}  // namespace silt::agent
