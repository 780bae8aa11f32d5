// silt: the query CLI (docs/cli.md). Flags with CLI11; each subcommand runs in
// aggregator/cli/commands.cc. CLI11 throws on bad flags: caught here, exit code 2.
#include <curl/curl.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>

#include "aggregator/cli/commands.h"

namespace {

using silt::cli::HttpClientOptions;
using silt::cli::OutputFlags;
using silt::cli::RangeFlags;

void AddRange(CLI::App* command, RangeFlags* flags, const char* since_help) {
  command->add_option("--since", flags->since, since_help)->capture_default_str();
  command->add_option("--from", flags->from,
                      "start (inclusive): RFC 3339, unix seconds or nanoseconds, or now; "
                      "overrides --since");
  command->add_option("--to", flags->to, "end (exclusive), same forms; default now");
}

void AddOutput(CLI::App* command, OutputFlags* flags) {
  command->add_option("-o,--output", flags->output, "default, raw (line only) or jsonl")
      ->capture_default_str();
  command->add_flag("--no-labels", flags->no_labels, "leave labels out of default output");
  command->add_option("--include-label", flags->include_labels, "show only this label (repeatable)")
      ->allow_extra_args(false);  // one name per flag: a query after it stays the positional
}

void AddGlobal(CLI::App* app, HttpClientOptions* options) {
  app->add_option("--addr", options->addr, "server URL")
      ->envname("SILT_ADDR")
      ->capture_default_str();
  app->add_option("--org-id", options->org_id, "tenant (X-Scope-OrgID)")->envname("SILT_ORG_ID");
  app->add_option("--token", options->token, "bearer token")->envname("SILT_TOKEN");
  app->add_option("--ca-cert", options->ca_cert, "CA bundle (PEM) to verify the server")
      ->envname("SILT_CA_CERT");
  app->add_option("--cert", options->cert, "client certificate (PEM)")->envname("SILT_CERT");
  app->add_option("--key", options->key, "client key (PEM)")->envname("SILT_KEY");
  app->add_flag("--insecure", options->insecure, "do not verify the server's certificate");
}

// Every subcommand's flags, and the subcommand objects to see which one was given.
struct Commands {
  silt::cli::QueryFlags query;
  silt::cli::InstantFlags instant;
  silt::cli::IndexFlags labels;
  silt::cli::IndexFlags series;
  silt::cli::IndexFlags stats;
  silt::cli::TailFlags tail;
  silt::cli::ExportFlags exp;
  CLI::App* query_command = nullptr;
  CLI::App* instant_command = nullptr;
  CLI::App* labels_command = nullptr;
  CLI::App* series_command = nullptr;
  CLI::App* stats_command = nullptr;
  CLI::App* tail_command = nullptr;
  CLI::App* export_command = nullptr;
};

void AddQueryCommands(CLI::App* app, Commands* c) {
  CLI::App* q = c->query_command = app->add_subcommand("query", "run a LogQL query over a range");
  q->add_option("query", c->query.query, "LogQL")->required();
  AddRange(q, &c->query.range, "how far back from --to");
  q->add_option("--limit", c->query.limit, "most entries; 0 = all")->capture_default_str();
  q->add_option("--batch", c->query.batch, "entries per request")->capture_default_str();
  q->add_flag("--forward", c->query.forward, "oldest first");
  q->add_flag("-f,--tail", c->query.tail, "keep tailing after the results");
  AddOutput(q, &c->query.output);

  CLI::App* i = c->instant_command =
      app->add_subcommand("instant", "evaluate a LogQL query at one time");
  i->add_option("query", c->instant.query, "LogQL")->required();
  i->add_option("--time", c->instant.time, "evaluation time; default now");
  i->add_option("--limit", c->instant.limit, "most entries")->capture_default_str();
  AddOutput(i, &c->instant.output);

  CLI::App* t = c->tail_command = app->add_subcommand("tail", "follow new entries until Ctrl-C");
  t->add_option("query", c->tail.query, "LogQL log query")->required();
  t->add_option("--since", c->tail.since, "backfill from this far back")->capture_default_str();
  t->add_option("--limit", c->tail.limit, "most backfill entries")->capture_default_str();
  t->add_option("--delay-for", c->tail.delay_for, "seconds the server holds entries to sort")
      ->capture_default_str();
  AddOutput(t, &c->tail.output);
}

void AddIndexCommands(CLI::App* app, Commands* c) {
  CLI::App* l = c->labels_command =
      app->add_subcommand("labels", "label names, or the values of label NAME");
  l->add_option("name", c->labels.name_or_selector, "label name");
  AddRange(l, &c->labels.range, "how far back from --to");

  CLI::App* s = c->series_command = app->add_subcommand("series", "streams matching a selector");
  s->add_option("selector", c->series.name_or_selector, "stream selector")->required();
  AddRange(s, &c->series.range, "how far back from --to");
  s->add_option("-o,--output", c->series.output, "default or jsonl")->capture_default_str();

  CLI::App* st = c->stats_command = app->add_subcommand("stats", "index statistics of a selector");
  st->add_option("selector", c->stats.name_or_selector, "stream selector")->required();
  AddRange(st, &c->stats.range, "how far back from --to");
  st->add_option("-o,--output", c->stats.output, "default or jsonl")->capture_default_str();
}

void AddExportCommand(CLI::App* app, Commands* c) {
  CLI::App* e = c->export_command =
      app->add_subcommand("export", "write every entry of a range to a jsonl.zst file");
  e->add_option("query", c->exp.query, "LogQL log query")->required();
  AddRange(e, &c->exp.range, "how far back from --to");
  e->add_option("-o,--output", c->exp.output_path, "file, e.g. logs.jsonl.zst")->required();
  e->add_option("--part", c->exp.part, "length of one resumable part")->capture_default_str();
  e->add_option("--batch", c->exp.batch, "entries per request")->capture_default_str();
  e->add_option("--level", c->exp.level, "zstd level 1..19")->capture_default_str();
}

int Dispatch(const Commands& c, const HttpClientOptions& options) {
  if (c.query_command->parsed()) return RunQuery(c.query, options);
  if (c.instant_command->parsed()) return RunInstant(c.instant, options);
  if (c.labels_command->parsed()) return RunLabels(c.labels, options);
  if (c.series_command->parsed()) return RunSeries(c.series, options);
  if (c.stats_command->parsed()) return RunStats(c.stats, options);
  if (c.tail_command->parsed()) return RunTail(c.tail, options);
  if (c.export_command->parsed()) return RunExport(c.exp, options);
  return silt::cli::kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("silt: query a Silt aggregator or Loki over Loki's HTTP API", "silt");
  app.set_version_flag("--version", std::string("silt ") + SILT_VERSION);
  app.require_subcommand(1);
  app.fallthrough();
  HttpClientOptions options;
  AddGlobal(&app, &options);
  Commands commands;
  AddQueryCommands(&app, &commands);
  AddIndexCommands(&app, &commands);
  AddExportCommand(&app, &commands);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& help) {
    return app.exit(help);
  } catch (const CLI::CallForAllHelp& help) {
    return app.exit(help);
  } catch (const CLI::CallForVersion& version) {
    return app.exit(version);
  } catch (const CLI::ParseError& error) {
    std::fprintf(stderr, "silt: %s (see silt --help)\n", error.what());
    return silt::cli::kExitUsage;
  }
  curl_global_init(CURL_GLOBAL_DEFAULT);
  const int code = Dispatch(commands, options);
  curl_global_cleanup();
  return code;
}
