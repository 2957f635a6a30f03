// National Provider Identifier check: 10 digits whose last is a Luhn check digit computed over
// the number prefixed with 80840 (the US health industry prefix, CMS NPI check digit rule).

const NPI = /^[0-9]{10}$/;

export function isValidNpi(npi: string): boolean {
  if (!NPI.test(npi)) return false;
  let sum = 0;
  // Luhn from the rightmost digit: every second digit doubled, digits of the product summed.
  const digits = `80840${npi}`;
  for (let i = digits.length - 1, double = false; i >= 0; i--, double = !double) {
    const digit = Number(digits[i]) * (double ? 2 : 1);
    sum += digit > 9 ? digit - 9 : digit;
  }
  return sum % 10 === 0;
}
