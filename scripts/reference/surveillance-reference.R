#!/usr/bin/env Rscript
# Generates the reference outputs Vigil's EARS (C1, C2, C3) and CUSUM detectors
# must reproduce, with the R package `surveillance` (Debian r-cran-surveillance).
#
#   Rscript scripts/reference/surveillance-reference.R [OUTDIR]
#
# OUTDIR defaults to tests/conformance/reference (run from the repository root).
# Layout and file format: tests/conformance/README.md. Deterministic: the
# simulated series come from a fixed seed.
suppressPackageStartupMessages(library(surveillance))
script_dir <- dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)))
source(file.path(script_dir, "reference-common.R"))

args <- commandArgs(trailingOnly = TRUE)
out_dir <- if (length(args) >= 1) args[1] else "tests/conformance/reference"
methods_here <- c("ears-c1", "ears-c2", "ears-c3", "cusum")

# ---- data sets: plain weekly count series -------------------------------------


simulate_nb <- function(n, intercept, trend, phi) {
  # Negative binomial with trend and yearly seasonality in the style of
  # Noufaily et al. (2013): variance = phi * mean.
  t <- seq_len(n)
  mu <- exp(intercept + trend * t + 0.6 * cos(2 * pi * t / 52) + 0.4 * sin(2 * pi * t / 52))
  rnbinom(n, mu = mu, size = mu / (phi - 1))
}

set.seed(20240301)
datasets <- list(
  salmonella.agona = load_counts("salmonella.agona"),
  shadar = load_counts("shadar"),
  k1 = load_counts("k1"),
  m1 = load_counts("m1"),
  h1_nrwrp = load_counts("h1_nrwrp"),
  abattoir = load_counts("abattoir"),
  salmNewport = load_counts("salmNewport"),
  campyDE = load_counts("campyDE"),
  sim_nb_seasonal = simulate_nb(312, 1.5, 0.003, 2),
  sim_nb_trend = simulate_nb(312, 2.0, 0.006, 4)
)
# A series with missing weeks (about 3%): EARS's rules for NA are part of the
# contract. CUSUM is not run on it: algo.cusum lets one NA poison every later
# week, where Vigil skips it (docs/DETECTORS.md).
with_gaps <- simulate_nb(312, 1.5, 0.003, 2)
with_gaps[sample(seq_along(with_gaps), 10)] <- NA
datasets$sim_nb_missing <- with_gaps

# ---- EARS ---------------------------------------------------------------------

run_ears <- function(variant, dataset, values, params) {
  control <- c(list(method = variant), parse_params(params))
  s <- sts(observed = matrix(values, ncol = 1), frequency = 52, start = c(2000, 1))
  res <- earsC(s, control = control)
  range <- res@control$range
  b <- res@control$baseline
  # earsC does not return its expected value; it is the mean of the baseline
  # window it uses: t-b..t-1 (C1) or t-b-2..t-3 (C2, C3).
  lags <- if (variant == "C1") b:1 else (b + 2):3
  expected <- vapply(range, function(t) mean(values[t - lags]), 0)
  method <- paste0("ears-", tolower(variant))
  write_reference(method, dataset, params, range, values, expected, upperbound(res)[, 1],
                  alarms(res)[, 1])
}

ears_params <- list(C1 = c("", "baseline=10;alpha=0.01", "minSigma=1"),
                    C2 = c("", "baseline=12;alpha=0.05", "minSigma=0.5"),
                    C3 = c("", "baseline=10;alpha=0.01", "minSigma=1"))
for (variant in names(ears_params)) {
  for (dataset in names(datasets)) {
    for (params in ears_params[[variant]]) {
      run_ears(variant, dataset, datasets[[dataset]], params)
    }
  }
}

# ---- CUSUM --------------------------------------------------------------------

run_cusum <- function(dataset, values, params, from) {
  control <- c(list(range = from:length(values)), parse_params(params))
  disprog <- sts2disProg(sts(observed = matrix(values, ncol = 1), frequency = 52))
  res <- algo.cusum(disprog, control = control)
  expected <- rep_len(res$control$m, length(control$range))
  tag <- if (from == 53) "" else sprintf("__from%d", from)
  write_reference("cusum", dataset, params, control$range, values, expected, res$upperbound,
                  res$alarm, tag)
}

cusum_params <- c("", "trans=rossi", "trans=anscombe", "trans=anscombe2nd",
                  "trans=pearsonNegBin;alpha=0.3", "k=0.5;h=4", "m=5;trans=standard")
for (dataset in setdiff(names(datasets), "sim_nb_missing")) {
  for (params in cusum_params) {
    run_cusum(dataset, datasets[[dataset]], params, from = 53)
  }
}
run_cusum("salmonella.agona", datasets$salmonella.agona, "", from = 105)

# ---- manifest -----------------------------------------------------------------

write_manifest(out_dir, manifest, methods_here)
