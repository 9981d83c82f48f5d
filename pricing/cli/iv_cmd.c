/*
 * iv_cmd.c — `lsdopt iv`: the implied volatility of one market price, from
 * command-line flags, by lsd_implied_vol_bsm (BSM with carry, given the spot) or
 * lsd_implied_vol_black (Black-76, given the forward); printed as text, one
 * csv row or a json object.
 *
 * Premiums in the underlying (--premium-unit underlying: inverse,
 * coin-settled options as on Deribit, where the premium in ETH is the USD
 * value divided by the forward) are converted to the quote currency as
 * price = premium·F before inverting, by the library's market adapters
 * (curves/market.h: lsd_market_premium_to_quote, with F = S·e^{(r−q)T} from
 * lsd_market_forward or the --forward given). --expiry is years or an
 * ISO-8601 date/date-time, as for `lsdopt price`.
 *
 * Layer: cli (pricing/cli/) — sees the library through the public headers
 * (<lsdopt/...>) alone.
 */
#define _POSIX_C_SOURCE 200809L

#include "cli.h"
#include "common.h"
#include "model_cli.h"

#include <lsdopt/lsdopt.h>

#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <sysexits.h>

static const char help_text[] =
    "Usage: lsdopt iv --type call|put --price P (--spot S --carry q | --forward F)\n"
    "                 --strike K --expiry T --rate r [--valuation-time TIME]\n"
    "                 [--premium-unit quote|underlying] [--format text|csv|json]\n"
    "                 [-o FILE]\n"
    "\n"
    "Implied volatility of one European option price: the vol at which generalized\n"
    "BSM with carry (given --spot) or Black-76 (given --forward) reproduces it, to\n"
    "machine precision (Jaeckel's normalised coordinates; README: \"Implied\n"
    "volatility\").\n"
    "\n"
    "Option and market:\n"
    "  --type call|put        option type\n"
    "  --price P              market premium (in the unit of --premium-unit)\n"
    "  --spot S               token price, quote currency per token (> 0); with\n"
    "  --carry q              the carry (staking) yield, continuous per year: the\n"
    "                         forward is F = S*exp((r - q)*T)\n"
    "  --forward F            or the forward itself (Black-76; no --spot/--carry)\n"
    "  --strike K             strike, quote currency per token (> 0)\n"
    "  --expiry T             years (ACT/365F, > 0), or an ISO-8601 date or\n"
    "                         date-time; a bare date means 08:00 UTC\n"
    "  --rate r               quote-currency rate, continuous per year; the price\n"
    "                         is discounted by exp(-r*T) (0 for Deribit's marks)\n"
    "\n"
    "Other options:\n"
    "  --valuation-time TIME  ISO-8601 instant a dated --expiry is counted from;\n"
    "                         default: now\n"
    "  --premium-unit UNIT    quote (default): P is in the quote currency;\n"
    "                         underlying: P is in the token (inverse options, as\n"
    "                         on Deribit), and the quote-currency price is P*F\n"
    "  -f, --format FMT       text (default), csv (a header and one row) or json\n"
    "  -o, --output FILE      write to FILE instead of standard output ('-')\n"
    "  -h, --help             print this help and exit\n"
    "\n"
    "Exit status: 0 inverted; 64 usage error (missing or conflicting flag,\n"
    "unparseable number or date); 65 no implied vol: an input out of domain, or\n"
    "the price below its intrinsic value, at or above its upper bound (discounted\n"
    "forward for a call, discounted strike for a put), or equal to intrinsic to\n"
    "rounding (no time value) - the message says which; 73 output file cannot be\n"
    "created; 74 write error.\n";

enum {
    OPT_TYPE = 256,
    OPT_PRICE,
    OPT_SPOT,
    OPT_FORWARD,
    OPT_STRIKE,
    OPT_EXPIRY,
    OPT_RATE,
    OPT_CARRY,
    OPT_VALUATION_TIME,
    OPT_PREMIUM_UNIT
};

static const struct option long_options[] = {
    { "type", required_argument, NULL, OPT_TYPE },
    { "price", required_argument, NULL, OPT_PRICE },
    { "spot", required_argument, NULL, OPT_SPOT },
    { "forward", required_argument, NULL, OPT_FORWARD },
    { "strike", required_argument, NULL, OPT_STRIKE },
    { "expiry", required_argument, NULL, OPT_EXPIRY },
    { "rate", required_argument, NULL, OPT_RATE },
    { "carry", required_argument, NULL, OPT_CARRY },
    { "valuation-time", required_argument, NULL, OPT_VALUATION_TIME },
    { "premium-unit", required_argument, NULL, OPT_PREMIUM_UNIT },
    LSD_CLI_OUTPUT_OPTIONS,
    { NULL, 0, NULL, 0 }
};

/* The inputs and the result. */
typedef struct inverted {
    lsd_option opt;
    int has_spot;         /* 1: --spot and --carry given (BSM), 0: --forward */
    double spot, carry;   /* S, q (has_spot) */
    double forward;       /* F, given or S·e^{(r−q)T} */
    double rate;          /* r */
    double premium;       /* --price as given */
    lsd_premium_unit unit; /* of the premium: underlying means price = premium·F */
    double price;         /* quote-currency price inverted */
    lsd_cli_expiry expiry; /* --expiry as read */
    double vol;           /* the implied vol */
} inverted;

/* Invert: EX_OK, or EX_DATAERR after a diagnostic. With --spot the forward
 * (lsd_market_forward) is needed first for a premium in the underlying, and
 * is otherwise reported after the inversion (which checks the inputs). */
static int invert(inverted *p)
{
    lsd_diag diag = { "" };
    lsd_status st = LSD_OK;
    if (p->has_spot) {
        const lsd_market mkt = { p->spot, p->rate, p->carry, 1.0 /* ignored */ };
        const int forward_first = p->unit == LSD_PREMIUM_UNDERLYING;
        if (forward_first)
            st = lsd_market_forward(&mkt, p->opt.expiry, &p->forward, &diag);
        if (st == LSD_OK)
            st = lsd_market_premium_to_quote(p->premium, p->unit, p->forward, &p->price, &diag);
        if (st == LSD_OK)
            st = lsd_implied_vol_bsm(&p->opt, &mkt, p->price, &p->vol, &diag);
        if (st == LSD_OK && !forward_first)
            st = lsd_market_forward(&mkt, p->opt.expiry, &p->forward, &diag);
    } else {
        st = lsd_market_premium_to_quote(p->premium, p->unit, p->forward, &p->price, &diag);
        if (st == LSD_OK)
            st = lsd_implied_vol_black(p->opt.type, p->price, p->forward, p->opt.strike,
                                       p->opt.expiry, exp(-p->rate * p->opt.expiry), &p->vol,
                                       &diag);
    }
    if (st != LSD_OK) {
        lsd_cli_warn("iv: %s: %s", lsd_strerror(st), diag.message);
        return EX_DATAERR;
    }
    return EX_OK;
}

static int write_csv(FILE *out, const void *report)
{
    const inverted *p = report;
    fputs("type,spot,forward,strike,expiry,rate,carry,premium,premium_unit,price,"
          "expiry_date,valuation_time,implied_vol\n", out);
    fputs(lsd_option_type_name(p->opt.type), out);
    const double fields[] = { p->spot, p->forward, p->opt.strike, p->opt.expiry,
                              p->rate, p->carry, p->premium };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        fputc(',', out);
        if (p->has_spot || (i != 0 && i != 5)) /* no spot or carry with --forward */
            lsd_cli_csv_number(out, fields[i]);
    }
    fprintf(out, ",%s,", lsd_market_premium_unit_name(p->unit));
    lsd_cli_csv_number(out, p->price);
    fprintf(out, ",%s,%s,", p->expiry.dated ? p->expiry.expiry_date : "",
            p->expiry.dated ? p->expiry.valuation : "");
    lsd_cli_csv_number(out, p->vol);
    fputc('\n', out);
    return EX_OK;
}

static int write_json(FILE *out, const void *report)
{
    const inverted *p = report;
    json_error_t err;
    json_t *obj = json_pack_ex(
        &err, 0, "{s:s, s:o, s:f, s:f, s:f, s:f, s:o, s:f, s:s, s:f, s:s?, s:s?, s:f}", "type",
        lsd_option_type_name(p->opt.type), "spot", lsd_cli_json_number(p->has_spot ? p->spot : NAN),
        "forward", p->forward, "strike", p->opt.strike, "expiry", p->opt.expiry, "rate", p->rate,
        "carry", lsd_cli_json_number(p->has_spot ? p->carry : NAN), "premium", p->premium,
        "premium_unit", lsd_market_premium_unit_name(p->unit), "price", p->price, "expiry_date",
        p->expiry.dated ? p->expiry.expiry_date : NULL, "valuation_time",
        p->expiry.dated ? p->expiry.valuation : NULL, "implied_vol", p->vol);
    if (obj == NULL) {
        lsd_cli_warn("iv: json: %s", err.text);
        return EX_SOFTWARE;
    }
    return lsd_cli_write_json("iv", out, obj);
}

static int write_text(FILE *out, const void *report)
{
    const inverted *p = report;
    fprintf(out, "European %s, implied volatility (%s)\n\ninputs\n",
            lsd_option_type_name(p->opt.type),
            p->has_spot ? "BSM with carry" : "Black-76 on the forward");
    if (p->has_spot)
        fprintf(out, "  %-20s %.10g\n", "spot", p->spot);
    fprintf(out, "  %-20s %.10g%s\n", "forward", p->forward,
            p->has_spot ? "  (spot*exp((rate - carry)*expiry))" : "");
    fprintf(out, "  %-20s %.10g\n", "strike", p->opt.strike);
    fprintf(out, "  %-20s %.10g\n", "expiry (years)", p->opt.expiry);
    if (p->expiry.dated) {
        fprintf(out, "  %-20s %s\n", "expiry_date", p->expiry.expiry_date);
        fprintf(out, "  %-20s %s\n", "valuation_time", p->expiry.valuation);
    }
    fprintf(out, "  %-20s %.10g\n", "rate", p->rate);
    if (p->has_spot)
        fprintf(out, "  %-20s %.10g\n", "carry", p->carry);
    if (p->unit == LSD_PREMIUM_UNDERLYING) {
        fprintf(out, "  %-20s %.10g  in the underlying\n", "premium", p->premium);
        fprintf(out, "  %-20s %.10g  (premium*forward, quote currency)\n", "price", p->price);
    } else {
        fprintf(out, "  %-20s %.10g\n", "price", p->price);
    }
    fprintf(out, "\nresult\n  %-20s %.15g  (%.6g%%)\n", "implied_vol", p->vol, 100.0 * p->vol);
    return EX_OK;
}

static const lsd_cli_writers writers = { write_text, write_csv, write_json };

int lsd_cli_iv(int argc, char **argv)
{
    const char *type = NULL, *price = NULL, *spot = NULL, *forward = NULL, *strike = NULL,
               *expiry = NULL, *rate = NULL, *carry = NULL, *valuation = NULL,
               *unit = "quote", *format = "text", *output = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "f:o:h", long_options, NULL)) != -1) {
        switch (c) {
        case OPT_TYPE: type = optarg; break;
        case OPT_PRICE: price = optarg; break;
        case OPT_SPOT: spot = optarg; break;
        case OPT_FORWARD: forward = optarg; break;
        case OPT_STRIKE: strike = optarg; break;
        case OPT_EXPIRY: expiry = optarg; break;
        case OPT_RATE: rate = optarg; break;
        case OPT_CARRY: carry = optarg; break;
        case OPT_VALUATION_TIME: valuation = optarg; break;
        case OPT_PREMIUM_UNIT: unit = optarg; break;
        case 'f': format = optarg; break;
        case 'o': output = optarg; break;
        case 'h': return lsd_cli_help((const char *const[]){ help_text, NULL });
        default: return EX_USAGE; /* getopt_long printed why */
        }
    }
    if (!lsd_cli_flags_done("iv", argc, argv, format))
        return EX_USAGE;
    inverted p = { .opt = { .type = LSD_CALL } };
    if (lsd_market_premium_unit_parse(unit, &p.unit, NULL) != LSD_OK) {
        lsd_cli_warn("iv: --premium-unit must be quote or underlying (got '%s')", unit);
        return EX_USAGE;
    }
    if ((spot == NULL) == (forward == NULL)) {
        lsd_cli_warn("iv: give exactly one of --spot (with --carry) and --forward");
        return EX_USAGE;
    }
    if (forward != NULL && carry != NULL) {
        lsd_cli_warn("iv: --carry goes with --spot; a --forward already includes it");
        return EX_USAGE;
    }
    if (!lsd_cli_type_flag("iv", type, &p.opt.type))
        return EX_USAGE;
    p.has_spot = spot != NULL;
    if (!lsd_cli_number_flag("iv", "price", price, &p.premium) ||
        !lsd_cli_number_flag("iv", "strike", strike, &p.opt.strike) ||
        !lsd_cli_expiry_flag("iv", expiry, valuation, &p.expiry) ||
        !lsd_cli_number_flag("iv", "rate", rate, &p.rate) ||
        !(p.has_spot ? lsd_cli_number_flag("iv", "spot", spot, &p.spot) &&
                           lsd_cli_number_flag("iv", "carry", carry, &p.carry)
                     : lsd_cli_number_flag("iv", "forward", forward, &p.forward)))
        return EX_USAGE;

    p.opt.expiry = p.expiry.years;
    const int rc_inv = invert(&p);
    return rc_inv != EX_OK ? rc_inv : lsd_cli_write_report(output, format, &writers, &p);
}
