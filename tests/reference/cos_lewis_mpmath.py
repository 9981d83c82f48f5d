"""cos_lewis_mpmath.py — reference values for tests/unit/test_cos.c by an
independent method: Lewis's (2001) single integral in mpmath at 40 digits,

    C = e^{-rT} (F - sqrt(F K)/pi * int_0^inf Re[e^{iux} phi(u - i/2)] / (u^2 + 1/4) du),

x = ln(F/K), phi the characteristic function of Y = ln(S_T/F) (Lewis,
"A Simple Option Formula for General Jump-Diffusion and Other Exponential
Levy Processes", 2001, eq. (2.10) in this normalisation); puts by parity in
40 digits. The characteristic functions are written out from the papers:
Heston in the Albrecher et al. (2007) "little trap" form, Kou (2002) eq. (5),
Merton (1976), each compensated so that E[e^Y] = 1.

Not a test (no test_ prefix): run `/usr/bin/python3 tests/reference/cos_lewis_mpmath.py`
to print the numbers test_cos.c holds (about 30 s).
"""
import mpmath as mp

mp.mp.dps = 40
M = mp.mpf


def lewis_call(S, K, T, r, q, phi):
    F = S * mp.exp((r - q) * T)
    x = mp.log(F / K)
    f = lambda u: mp.re(mp.exp(1j * u * x) * phi(u - 0.5j)) / (u * u + M(1) / 4)
    integral = mp.quad(f, [0, 1, 5, 20, 100, 500, 2000, mp.inf], maxdegree=10)
    return mp.exp(-r * T) * (F - mp.sqrt(F * K) / mp.pi * integral), F


def heston_log_phi(w, T, v0, kappa, theta, sigma, rho):
    q = w * w - w
    beta = kappa - rho * sigma * w
    d = mp.sqrt(beta * beta - sigma * sigma * q)
    if mp.re(d) < 0:
        d = -d
    g = (beta - d) / (beta + d)
    e = mp.exp(-d * T)
    D = (beta - d) / sigma**2 * (1 - e) / (1 - g * e)
    C = kappa * theta / sigma**2 * ((beta - d) * T - 2 * mp.log((1 - g * e) / (1 - g)))
    return C + v0 * D


def merton_exponent(w, lam, mu, delta):
    kappa = mp.exp(mu + delta * delta / 2) - 1
    return lam * (mp.exp(w * mu + delta * delta * w * w / 2) - 1) - w * lam * kappa


def kou_exponent(w, sig, lam, p, eta_up, eta_down):
    zeta = p * eta_up / (eta_up - 1) + (1 - p) * eta_down / (eta_down + 1) - 1
    return (sig**2 / 2 * (w * w - w)
            + lam * (p * eta_up / (eta_up - w) + (1 - p) * eta_down / (eta_down + w) - 1)
            - w * lam * zeta)


def kou(sig, lam, p, eta_up, eta_down):
    return lambda T: lambda u: mp.exp(T * kou_exponent(1j * u, sig, lam, p, eta_up, eta_down))


def heston(v0, kappa, theta, sigma, rho, jumps=None):
    def at(T):
        def phi(u):
            ln = heston_log_phi(1j * u, T, v0, kappa, theta, sigma, rho)
            if jumps:
                ln += T * merton_exponent(1j * u, *jumps)
            return mp.exp(ln)
        return phi
    return at


def value(label, S, K, T, r, q, model, kind):
    call, F = lewis_call(S, K, T, r, q, model(T))
    v = call if kind == "call" else call - mp.exp(-r * T) * (F - K)
    print(f"{label:32s} {kind:4s} K={mp.nstr(K, 8):8s} T={mp.nstr(T, 10):12s} {mp.nstr(v, 20)}")


# Published cases (test_cos.c, published_*): Kou (2002) and Surkov (2009), Fang-Oosterlee Heston.
value("Kou (2002)", M(100), M(98), M("0.5"), M("0.05"), M(0), kou(M("0.16"), M(1), M("0.4"), M(10), M(5)), "call")
value("Surkov (2009)", M(100), M(110), M(1), M(0), M(0), kou(M("0.2"), M("0.2"), M("0.5"), M(3), M(2)), "call")
fo = heston(M("0.0175"), M("1.5768"), M("0.0398"), M("0.5751"), M("-0.5711"))
for T in (M(1), M(10)):
    value("Fang-Oosterlee Heston", M(100), M(100), T, M(0), M(0), fo, "call")

# Crypto tails (test_cos.c, tails_match_an_independent_integral): S = 3000, r = 0.045, q = 0.031.
S, r, q = M(3000), M("0.045"), M("0.031")
crypto_kou = kou(M("0.6"), M(5), M("0.3"), M(8), M(6))
crypto_heston = heston(M("0.5"), M(2), M("0.45"), M("1.5"), M("-0.3"))
crypto_bates = heston(M("0.5"), M(2), M("0.45"), M("1.5"), M("-0.3"), (M(3), M("-0.08"), M("0.12")))
feller = heston(M("0.05"), M("0.3"), M("0.05"), M(3), M("-0.5"))
day, week = M(1) / 365, M(7) / 365
for label, model, T, K, kind in [
    ("kou", crypto_kou, day, M(2700), "put"), ("kou", crypto_kou, day, M(3400), "call"),
    ("heston", crypto_heston, day, M(2500), "put"), ("heston", crypto_heston, day, M(3600), "call"),
    ("bates", crypto_bates, week, M(2200), "put"), ("bates", crypto_bates, week, M(4000), "call"),
    ("heston, Feller violated", feller, M("0.25"), M(1500), "put"),
    ("heston, Feller violated", feller, M("0.25"), M(3600), "call"),
]:
    value(label, S, K, T, r, q, model, kind)
