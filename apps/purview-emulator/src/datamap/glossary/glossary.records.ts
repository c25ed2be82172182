import { Column, Entity, PrimaryColumn } from 'typeorm';

export type GlossaryNodeKind = 'glossary' | 'category' | 'term';

/**
 * A glossary, category or term (table `glossary_nodes`, migration Glossary1764500000011). Categories and terms name
 * their glossary (deleted with it) and their parent (category or term); `qualifiedName` is unique per kind, which is
 * how Atlas keeps names unique within a glossary and level. What only answers carry is in `doc` (JSON).
 */
@Entity('glossary_nodes')
export class GlossaryNodeRecord {
  @PrimaryColumn({ type: 'varchar' }) guid!: string;
  @Column({ type: 'varchar' }) kind!: GlossaryNodeKind;
  @Column({ name: 'glossary_guid', type: 'varchar', nullable: true }) glossaryGuid!: string | null;
  @Column({ name: 'parent_guid', type: 'varchar', nullable: true }) parentGuid!: string | null;
  @Column({ type: 'varchar' }) name!: string;
  @Column({ name: 'qualified_name', type: 'varchar' }) qualifiedName!: string;
  /** A term's `TermStatus`. */
  @Column({ type: 'varchar', nullable: true }) status!: string | null;
  @Column({ name: 'anchor_relation_guid', type: 'varchar', nullable: true }) anchorRelationGuid!: string | null;
  @Column({ name: 'parent_relation_guid', type: 'varchar', nullable: true }) parentRelationGuid!: string | null;
  @Column({ type: 'text' }) doc!: string;
  @Column({ name: 'created_by', type: 'varchar' }) createdBy!: string;
  @Column({ name: 'updated_by', type: 'varchar' }) updatedBy!: string;
  @Column({ name: 'create_time', type: 'integer' }) createTime!: number;
  @Column({ name: 'update_time', type: 'integer' }) updateTime!: number;
  @Column({ type: 'integer' }) version!: number;
}

export type GlossaryLinkKind = 'related' | 'categorization';

/**
 * A link between nodes (table `glossary_links`): a term-term relation (`from` shows `to` in `fromAttr`, `to` shows
 * `from` in `toAttr`: seeAlso both ways, preferredTerms/preferredToTerms…) or a term's category (`from` the term).
 */
@Entity('glossary_links')
export class GlossaryLinkRecord {
  @PrimaryColumn({ name: 'relation_guid', type: 'varchar' }) relationGuid!: string;
  @Column({ type: 'varchar' }) kind!: GlossaryLinkKind;
  @Column({ name: 'from_guid', type: 'varchar' }) fromGuid!: string;
  @Column({ name: 'from_attr', type: 'varchar' }) fromAttr!: string;
  @Column({ name: 'to_guid', type: 'varchar' }) toGuid!: string;
  @Column({ name: 'to_attr', type: 'varchar' }) toAttr!: string;
  /** description, expression, status, steward (JSON). */
  @Column({ type: 'text' }) doc!: string;
}

/** A term assigned to a data map entity (table `glossary_term_assignments`; Atlas's AtlasGlossarySemanticAssignment). */
@Entity('glossary_term_assignments')
export class TermAssignmentRecord {
  @PrimaryColumn({ name: 'relation_guid', type: 'varchar' }) relationGuid!: string;
  @Column({ name: 'term_guid', type: 'varchar' }) termGuid!: string;
  @Column({ name: 'entity_guid', type: 'varchar' }) entityGuid!: string;
  /** confidence, createdBy, description, expression, source, status, steward (JSON). */
  @Column({ type: 'text' }) attributes!: string;
  @Column({ name: 'create_time', type: 'integer' }) createTime!: number;
}
