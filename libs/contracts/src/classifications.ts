import { z } from 'zod';

/** The categories Purview's classification insights report (custom classifications are `Custom`). */
export const CLASSIFICATION_CATEGORIES = ['Personal', 'Financial', 'Government', 'Security', 'Custom'] as const;
export const ClassificationCategorySchema = z.enum(CLASSIFICATION_CATEGORIES);
export type ClassificationCategory = z.infer<typeof ClassificationCategorySchema>;

/**
 * One of Purview's system classifications as the data map defines it: `name` is the classificationDef name (the
 * typeName assets carry), `description` its description (Purview uses the display name there), `category` the
 * insights category.
 */
export const SystemClassificationSchema = z.object({
  name: z.string().regex(/^MICROSOFT\.[A-Z0-9_.]+$/),
  description: z.string().min(1),
  category: ClassificationCategorySchema,
});
export type SystemClassification = z.infer<typeof SystemClassificationSchema>;

const entry = (name: string, description: string, category: ClassificationCategory): SystemClassification => ({
  name,
  description,
  category,
});

/**
 * System classifications whose exact names were seen in real Purview output (tenant dumps of classificationDefs,
 * insight reports, search results, SDK recordings; sources in the README). Purview has about 200; names are opaque
 * strings (the service mixes `DRIVERS_LICENSE_NUMBER` and `DRIVERS.LICENSE.NUMBER`), so none here is derived.
 * The scan engine implements a matching rule for most of them (`SYSTEM_RULES`); Bloom-filter and ML ones without
 * a rule (person's name, address) are listed so classification defs and rule sets can name them.
 */
export const SYSTEM_CLASSIFICATIONS: readonly SystemClassification[] = [
  entry('MICROSOFT.PERSONAL.EMAIL', 'Email', 'Personal'),
  entry('MICROSOFT.PERSONAL.IPADDRESS', 'IP Address', 'Personal'),
  entry('MICROSOFT.PERSONAL.US.PHONE_NUMBER', 'U.S. Phone Number', 'Personal'),
  entry('MICROSOFT.PERSONAL.DATE_OF_BIRTH', 'Date Of Birth', 'Personal'),
  entry('MICROSOFT.PERSONAL.GEOLOCATION', 'Geolocation', 'Personal'),
  entry('MICROSOFT.PERSONAL.AGE', "Person's Age", 'Personal'),
  entry('MICROSOFT.PERSONAL.GENDER', "Person's Gender", 'Personal'),
  entry('MICROSOFT.PERSONAL.NAME', "Person's Name", 'Personal'),
  entry('MICROSOFT.PERSONAL.PHYSICALADDRESS', "Person's Address", 'Personal'),
  entry('MICROSOFT.FINANCIAL.CREDIT_CARD_NUMBER', 'Credit Card Number', 'Financial'),
  entry('MICROSOFT.FINANCIAL.US.ABA_ROUTING_NUMBER', 'ABA Routing Number', 'Financial'),
  entry(
    'MICROSOFT.FINANCIAL.INTERNATIONAL.BANK_ACCOUNT_NUMBER',
    'International Banking Account Number (IBAN)',
    'Financial',
  ),
  entry('MICROSOFT.FINANCIAL.AUSTRALIA.BANK_ACCOUNT_NUMBER', 'Australia Bank Account Number', 'Financial'),
  entry('MICROSOFT.FINANCIAL.CANADA.BANK_ACCOUNT_NUMBER', 'Canada Bank Account Number', 'Financial'),
  entry('MICROSOFT.FINANCIAL.JAPAN.BANK_ACCOUNT_NUMBER', 'Japan Bank Account Number', 'Financial'),
  entry('MICROSOFT.GOVERNMENT.US.SOCIAL_SECURITY_NUMBER', 'U.S. Social Security Number (SSN)', 'Government'),
  entry('MICROSOFT.GOVERNMENT.US.STATE', 'U.S. States', 'Government'),
  entry('MICROSOFT.GOVERNMENT.US.ZIP_CODE', 'U.S. Zipcode', 'Government'),
  entry('MICROSOFT.GOVERNMENT.CITY_NAME', 'City Name', 'Government'),
  entry('MICROSOFT.GOVERNMENT.ARGENTINA.DNI_NUMBER', 'Argentina National Identity (DNI) Number', 'Government'),
  entry('MICROSOFT.GOVERNMENT.AUSTRALIA.BUSINESS.NUMBER', 'Australia Business Number', 'Government'),
  entry('MICROSOFT.GOVERNMENT.AUSTRALIA.COMPANY.NUMBER', 'Australia Company Number', 'Government'),
  entry('MICROSOFT.GOVERNMENT.AUSTRALIA.DRIVERS_LICENSE_NUMBER', "Australia Driver's License Number", 'Government'),
  entry('MICROSOFT.GOVERNMENT.AUSTRALIA.MEDICAL_ACCOUNT_NUMBER', 'Australia Medical Account Number', 'Government'),
  entry('MICROSOFT.GOVERNMENT.AUSTRALIA.PASSPORT_NUMBER', 'Australia Passport Number', 'Government'),
  entry('MICROSOFT.GOVERNMENT.AUSTRALIA.TAX_FILE_NUMBER', 'Australia Tax File Number', 'Government'),
  entry('MICROSOFT.GOVERNMENT.AUSTRIA.DRIVERS.LICENSE.NUMBER', "Austria Driver's License Number", 'Government'),
  entry('MICROSOFT.GOVERNMENT.AUSTRIA.PASSPORT.NUMBER', 'Austria Passport Number', 'Government'),
  entry('MICROSOFT.GOVERNMENT.AUSTRIA.TAX.IDENTIFICATION.NUMBER', 'Austria Tax Identification Number', 'Government'),
  entry('MICROSOFT.GOVERNMENT.BELGIUM.DRIVERS.LICENSE.NUMBER', "Belgium Driver's License Number", 'Government'),
  entry('MICROSOFT.GOVERNMENT.BRAZIL.NATIONAL_ID_CARD', 'Brazil National Identification Card (RG)', 'Government'),
  entry('MICROSOFT.GOVERNMENT.BULGARIA.PASSPORT.NUMBER', 'Bulgaria Passport Number', 'Government'),
  entry('MICROSOFT.GOVERNMENT.CANADA.DRIVERS_LICENSE_NUMBER', "Canada Driver's License Number", 'Government'),
  entry('MICROSOFT.GOVERNMENT.CHILE.CDI_NUMBER', 'Chile Identity Card Number', 'Government'),
  entry('MICROSOFT.GOVERNMENT.CYPRUS.TAX.IDENTIFICATION.NUMBER', 'Cyprus Tax Identification Number', 'Government'),
  entry('MICROSOFT.GOVERNMENT.EU.DRIVERS_LICENSE_NUMBER', "EU Driver's License Number", 'Government'),
  entry('MICROSOFT.GOVERNMENT.EU.NATIONAL_IDENTIFICATION_NUMBER', 'EU National Identification Number', 'Government'),
  entry('MICROSOFT.GOVERNMENT.EU.TAX_IDENTIFICATION_NUMBER', 'EU Tax Identification Number', 'Government'),
  entry('MICROSOFT.GOVERNMENT.FRANCE.DRIVERS_LICENSE_NUMBER', "France Driver's License Number", 'Government'),
  entry('MICROSOFT.GOVERNMENT.HONGKONG.ID_CARD_NUMBER', 'Hong Kong Identity Card (HKID) Number', 'Government'),
  entry('MICROSOFT.GOVERNMENT.MALTA.DRIVERS.LICENSE.NUMBER', "Malta Driver's License Number", 'Government'),
  entry('MICROSOFT.GOVERNMENT.ROMANIA.DRIVERS.LICENSE.NUMBER', "Romania Driver's License Number", 'Government'),
  entry(
    'MICROSOFT.GOVERNMENT.TURKEY.TURKISH_NATIONAL_IDENTIFICATION_NUMBER',
    'Turkish National Identification Number',
    'Government',
  ),
  entry('MICROSOFT.SECURITY.COMMON_PASSWORDS', 'Common Passwords', 'Security'),
];

/** The system classification named `name`, if this list has it. */
export function systemClassification(name: string): SystemClassification | undefined {
  return SYSTEM_CLASSIFICATIONS.find((c) => c.name === name);
}
