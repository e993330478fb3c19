#!/usr/bin/env Rscript
# Generates the reference outputs Vigil's `farrington` and `farrington-flexible`
# detectors must reproduce, with the R package `surveillance` (Debian
# r-cran-surveillance): algo.farrington() and farringtonFlexible().
#
#   Rscript scripts/reference/surveillance-farrington.R [OUTDIR]
#
# OUTDIR defaults to tests/conformance/reference (run from the repository root).
# Layout and file format: tests/conformance/README.md. Series are given to R as
# plain weekly sts objects (frequency 52, epochs 1..n), so reference weeks are
# t - i*52 +- w, as `vigil detect --frequency 52` counts them. Deterministic:
# the simulated series come from a fixed seed.
suppressPackageStartupMessages(library(surveillance))
script_dir <- dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)))
source(file.path(script_dir, "reference-common.R"))

args <- commandArgs(trailingOnly = TRUE)
out_dir <- if (length(args) >= 1) args[1] else "tests/conformance/reference"
methods_here <- c("farrington", "farrington-flexible")

# ---- data sets: weekly count series shipped with surveillance -----------------


# Noufaily et al. (2013) design: negative binomial with mean
# exp(theta + beta * t + seasonal harmonics) and variance phi * mean, plus
# outbreaks (extra cases over a few weeks) in the last two years.
simulate_noufaily <- function(n, theta, beta, gamma, phi, outbreaks = 3) {
  t <- seq_len(n)
  season <- 0
  for (j in seq_len(nrow(gamma))) {
    season <- season + gamma[j, 1] * cos(2 * pi * j * t / 52) + gamma[j, 2] * sin(2 * pi * j * t / 52)
  }
  mu <- exp(theta + beta * t + season)
  y <- if (phi > 1) rnbinom(n, mu = mu, size = mu / (phi - 1)) else rpois(n, mu)
  for (start in sample((n - 100):(n - 6), outbreaks)) {
    weeks <- start:(start + 3)
    y[weeks] <- y[weeks] + rpois(4, 3 * sqrt(mu[weeks]) + 2)
  }
  y
}

set.seed(20240302)
datasets <- list(
  salmonella.agona = load_counts("salmonella.agona"),
  shadar = load_counts("shadar"),
  salmNewport = load_counts("salmNewport"),
  salmAllOnset = load_counts("salmAllOnset"),
  campyDE = load_counts("campyDE"),
  stsNewport = load_counts("stsNewport"),
  influMen = load_counts("influMen", 1),
  momo = load_counts("momo", 1),
  salmHospitalized = load_counts("salmHospitalized"),
  sim_seasonal = simulate_noufaily(520, 1.5, 0, matrix(c(0.6, 0.4), 1), 1.5),
  sim_trend = simulate_noufaily(520, 0.5, 0.003, matrix(c(0.8, 0.2, 0.3, -0.2), 2, byrow = TRUE), 2),
  sim_overdispersed = simulate_noufaily(520, 3, -0.001, matrix(c(0.3, 0.5), 1), 5),
  sim_sparse = simulate_noufaily(520, -0.5, 0.001, matrix(c(1, 0), 1), 1)
)
# Missing weeks (about 3%): farringtonFlexible leaves them out of the fit.
# algo.farrington cannot fit with a missing reference value (glm.fit stops), so
# it is only run on complete series.
with_gaps <- simulate_noufaily(520, 1.5, 0.001, matrix(c(0.6, 0.4), 1), 2)
with_gaps[sample(seq_along(with_gaps), 16)] <- NA
complete <- names(datasets)
datasets$sim_missing <- with_gaps

weekly_sts <- function(values) sts(observed = matrix(values, ncol = 1), frequency = 52, start = c(2000, 1))

# The last two years (or as many weeks as the history allows). [[ ]] because
# `$w` would partially match weightsThreshold.
evaluation_range <- function(values, control) {
  b <- if (is.null(control[["b"]])) 5 else control[["b"]]
  w <- if (is.null(control[["w"]])) 3 else control[["w"]]
  max(52 * b + w + 1, length(values) - 103):length(values)
}

# ---- algo.farrington ----------------------------------------------------------

run_farrington <- function(dataset, values, params) {
  control <- parse_params(params)
  control$range <- evaluation_range(values, control)
  res <- algo.farrington(sts2disProg(weekly_sts(values)), control = control)
  # algo.farrington returns no expected value; control$pd[, 2] is the median of
  # the transformed normal, i.e. the model's prediction mu0 (as the score uses).
  write_reference("farrington", dataset, params, control$range, values, res$control$pd[, 2],
                  res$upperbound, res$alarm)
}

farrington_params <- c("", "b=3;w=2", "alpha=0.01", "reweight=FALSE", "trend=FALSE",
                       "powertrans=1/2", "powertrans=none")
for (dataset in complete) {
  for (params in farrington_params) {
    run_farrington(dataset, datasets[[dataset]], params)
  }
}

# ---- farringtonFlexible -------------------------------------------------------

run_flexible <- function(dataset, values, params) {
  control <- parse_params(params)
  control$range <- evaluation_range(values, control)
  res <- suppressWarnings(farringtonFlexible(weekly_sts(values), control = control))
  write_reference("farrington-flexible", dataset, params, control$range, values,
                  res@control$expected[, 1], upperbound(res)[, 1], alarms(res)[, 1])
}

flexible_params <- c("", "b=3;w=2", "alpha=0.01", "reweight=FALSE", "trend=FALSE",
                     "noPeriods=10", "noPeriods=10;pastWeeksNotIncluded=26",
                     "thresholdMethod=nbPlugin", "thresholdMethod=muan",
                     "noPeriods=10;thresholdMethod=muan;pastWeeksNotIncluded=26",
                     "powertrans=1/2", "powertrans=none", "weightsThreshold=1;pThresholdTrend=0.5",
                     "pastWeeksNotIncluded=0", "b=4;w=4;noPeriods=4")
for (dataset in names(datasets)) {
  for (params in flexible_params) {
    run_flexible(dataset, datasets[[dataset]], params)
  }
}

# ---- manifest -----------------------------------------------------------------

write_manifest(out_dir, manifest, methods_here)
