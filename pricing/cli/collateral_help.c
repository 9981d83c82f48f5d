/*
 * collateral_help.c — the --help text of `lsdopt collateral`, kept beside its
 * command (collateral_cmd.c) so that the command's file holds its code.
 *
 * Layer: cli (pricing/cli/) — sees the library through the public headers
 * (<lsdopt/...>) alone.
 */
#include "cli.h"

#include <stddef.h>

static const char help_text[] =
    "Usage: lsdopt collateral --tokens N --debt D --spot P --liquidation-threshold LT\n"
    "                         --borrow-rate RB --staking-yield Y --horizon T\n"
    "                         --oracle market|exchange-rate [--vol SIGMA]\n"
    "                         [--jump-intensity L --jump-mean MU_J --jump-vol DELTA]\n"
    "                         [--drift MU] [--slashing-intensity ETA --slashing-loss F]\n"
    "                         [--liquidation-bonus B] [--monitor-days D] [--paths N]\n"
    "                         [--seed S] [--rate R] [--carry Q]\n"
    "                         [--format text|csv|json] [-o FILE]\n"
    "\n"
    "Liquidation risk of N tokens posted as collateral for a debt D in the quote\n"
    "asset (wstETH borrowing WETH). The debt grows as D e^(RB t); the position is\n"
    "liquidated at the first check (every D days, and at T) where the health\n"
    "factor N V_t LT / (D e^(RB t)) is below 1. V_t, the oracle value of a token:\n"
    "  market         the market price: geometric Brownian motion with real-world\n"
    "                 drift MU and vol SIGMA, plus Merton depeg jumps (a depeg can\n"
    "                 liquidate);\n"
    "  exchange-rate  the protocol rate P e^(Y t), times (1 - F) at each slashing\n"
    "                 event (Poisson, ETA per year), as Aave values wstETH: a depeg\n"
    "                 alone does not liquidate; RB > Y eventually does.\n"
    "Printed: the probability of liquidation within T (closed form where one\n"
    "exists: market without jumps, continuous and Broadie-Glasserman-Kou corrected\n"
    "for the monitoring; exchange-rate always; and seeded Monte Carlo), the\n"
    "liquidation time when deterministic, the loss given liquidation (the bonus\n"
    "B D_t paid to the liquidator, capped by the equity left), and the protective\n"
    "put: strike K = D e^(RB T)/(N LT), so N max(P_T, K) LT >= D e^(RB T) at T\n"
    "(at the horizon only, not along the path), and the cost of N puts priced with\n"
    "bsm, or merton when --jump-intensity > 0 (not priced when SIGMA = 0).\n"
    "\n"
    "Options (rates continuous per year, times in years):\n"
    "  --tokens N, --debt D, --spot P  collateral, debt, oracle value of a token\n"
    "  --liquidation-threshold LT      in (0, 1]\n"
    "  --borrow-rate RB, --staking-yield Y, --horizon T\n"
    "  --oracle KIND          market or exchange-rate\n"
    "  --vol SIGMA            market price vol (required for market; default 0)\n"
    "  --jump-intensity, --jump-mean, --jump-vol  depeg jumps (default none)\n"
    "  --drift MU             real-world drift of the market price (default Y)\n"
    "  --slashing-intensity ETA, --slashing-loss F  exchange-rate only (default 0)\n"
    "  --liquidation-bonus B  liquidation penalty on the debt repaid (default 0.05)\n"
    "  --monitor-days D       oracle checked every D days of 365 (default 1)\n"
    "  --paths N              Monte Carlo paths (default 100000)\n"
    "  --seed S               GSL mt19937 seed (default 1)\n"
    "  --rate R, --carry Q    for the put: quote rate (default RB) and the token's\n"
    "                         carry (default 0: a value-accruing token like wstETH;\n"
    "                         a rebasing one like stETH has carry Y)\n"
    "  -f, --format FMT       text (default), csv or json\n"
    "  -o, --output FILE      write to FILE instead of standard output ('-')\n"
    "  -h, --help             print this help and exit\n"
    "\n"
    "Output. csv: a header and one row: oracle, health, prob_analytic,\n"
    "prob_analytic_monitored, prob_mc, prob_mc_se, paths_liquidated, paths,\n"
    "liquidation_time, loss_given_liquidation, loss_given_liquidation_se,\n"
    "expected_loss, put_strike, put_price, put_cost (empty: none). json: {\"oracle\",\n"
    "\"inputs\": {...}, \"health\", those fields, \"put_model\"}; null: none.\n"
    "\n"
    "Exit status: 0 success; 64 usage error; 65 data error (an input out of\n"
    "domain, a position already liquidatable); 71 out of memory; 73 output file\n"
    "cannot be created; 74 write error.\n";

const char *const lsd_cli_collateral_help[] = { help_text, NULL };
