/** The kick-off field codec: field type <-> Slack element <-> prerun value. */
export { mergePickedAssignees, prerunChanges } from "./changes.ts";
export {
  decodePrerun,
  decodePrerunValue,
  encodePrerun,
  encodePrerunValue,
  KickoffValueError,
} from "./codec.ts";
export {
  fieldBlockId,
  fieldIdFromBlockId,
  KICKOFF_ACTION_ID,
  KICKOFF_BLOCK_PREFIX,
  type KickoffBlocks,
  type KickoffBlocksOptions,
  kickoffBlocks,
  searchFieldOptions,
} from "./elements.ts";
export { guidanceHint } from "./guidance.ts";
export {
  editableInSlack,
  type FieldAnswer,
  isEmptyAnswer,
  SLACK_TEXT_INPUT_MAX,
  TEXT_LIMITS,
} from "./model.ts";
export {
  type KickoffState,
  type KickoffStateValues,
  MESSAGES as KICKOFF_MESSAGES,
  readKickoffState,
} from "./state.ts";
