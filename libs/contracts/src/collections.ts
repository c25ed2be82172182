/**
 * Collections: the account data plane's `Collection` (`Azure.Analytics.Purview.Account` 2019-11-01-preview,
 * `account.json`), and the data map's `MoveEntitiesOptions` (`POST entity/moveTo`, Data Map 2023-09-01).
 */
import { z } from 'zod';

export const CollectionProvisioningStateSchema = z.enum([
  'Unknown',
  'Creating',
  'Moving',
  'Deleting',
  'Failed',
  'Succeeded',
]);
export type CollectionProvisioningState = z.infer<typeof CollectionProvisioningStateSchema>;

/** Collection names: what Purview generates (6 letters) and what clients choose; the root is the account name. */
export const COLLECTION_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;

/** `Collection` as clients send it to `PUT /account/collections/{name}` (read-only fields are ignored). */
export const CollectionInputSchema = z
  .object(
    {
      friendlyName: z
        .string({ message: 'friendlyName must be a string' })
        .max(256, 'friendlyName is longer than 256 characters')
        .nullish(),
      description: z
        .string({ message: 'description must be a string' })
        .max(4096, 'description is longer than 4096 characters')
        .nullish(),
      parentCollection: z
        .object(
          {
            referenceName: z
              .string({ message: 'parentCollection.referenceName must be a string' })
              .min(1, 'parentCollection.referenceName must not be empty'),
            type: z.string().nullish(),
          },
          { message: 'parentCollection must be an object with referenceName' },
        )
        .passthrough()
        .nullish(),
    },
    { message: 'The body must be a Collection object' },
  )
  .passthrough();
export type CollectionInput = z.infer<typeof CollectionInputSchema>;

export const CollectionSystemDataSchema = z.object({
  createdAt: z.string(),
  createdBy: z.string(),
  createdByType: z.string(),
  lastModifiedAt: z.string(),
  lastModifiedBy: z.string(),
  lastModifiedByType: z.string(),
});

/** `Collection` as the account data plane answers it. */
export const CollectionSchema = z.object({
  name: z.string(),
  friendlyName: z.string(),
  description: z.string().optional(),
  parentCollection: z.object({ referenceName: z.string(), type: z.literal('CollectionReference') }).optional(),
  collectionProvisioningState: CollectionProvisioningStateSchema,
  systemData: CollectionSystemDataSchema,
});
export type Collection = z.infer<typeof CollectionSchema>;

/** `CollectionList`. */
export const CollectionListSchema = z.object({
  value: z.array(CollectionSchema),
  count: z.number().int(),
  nextLink: z.string().optional(),
});
export type CollectionList = z.infer<typeof CollectionListSchema>;

/** `CollectionNameResponseList` of `getChildCollectionNames`. */
export const CollectionNameListSchema = z.object({
  value: z.array(z.object({ name: z.string(), friendlyName: z.string() })),
  count: z.number().int(),
});
export type CollectionNameList = z.infer<typeof CollectionNameListSchema>;

/** `CollectionPathResponse` of `getCollectionPath`: the chain from the root down to the collection's parent. */
export const CollectionPathSchema = z.object({
  parentFriendlyNameChain: z.array(z.string()),
  parentNameChain: z.array(z.string()),
});
export type CollectionPath = z.infer<typeof CollectionPathSchema>;

/** `MoveEntitiesOptions` (body of `POST entity/moveTo` and of the legacy `collections/{c}/entity/moveHere`). */
export const MoveEntitiesOptionsSchema = z.object(
  {
    entityGuids: z
      .array(
        z.string({ message: 'entityGuids must be strings' }).min(1, 'entityGuids must not contain empty strings'),
        { message: 'entityGuids must be an array of entity guids' },
      )
      .min(1, 'entityGuids must name at least one entity')
      .max(1000, 'entityGuids can name at most 1000 entities per call'),
  },
  { message: 'The body must be {"entityGuids": [...]}' },
);
export type MoveEntitiesOptions = z.infer<typeof MoveEntitiesOptionsSchema>;
