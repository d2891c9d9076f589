// Every contract case, per operation. The coverage meta-test compares their keys with the spec.
import { getUserInformationCases, purchaseAdditionalCreditsCases } from './account.js';
import { deleteDocumentCases } from './delete-document.js';
import { deleteDocumentFormatNotAllowedCases } from './delete-document-format-not-allowed.js';
import { downloadDocumentFormatCases } from './download-document-format.js';
import { downloadResultCases } from './download-result.js';
import { listDocumentsCases } from './list-documents.js';
import type { ContractCase } from './types.js';
import { uploadDocumentCases } from './upload-document.js';
import { webhookCases } from './webhook.js';

export const allCases: readonly ContractCase[] = [
  ...uploadDocumentCases,
  ...listDocumentsCases,
  ...downloadResultCases,
  ...downloadDocumentFormatCases,
  ...deleteDocumentCases,
  ...deleteDocumentFormatNotAllowedCases,
  ...getUserInformationCases,
  ...purchaseAdditionalCreditsCases,
  ...webhookCases,
];
