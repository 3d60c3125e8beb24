/**
 * The form field codec: field type <-> Slack element <-> stored value, one codec for kick-off
 * `prerun` and task `taskdata`.
 */
export { fieldValueChanges, mergePickedAssignees, prerunChanges } from "./changes.ts";
export {
  decodeFieldValue,
  decodeFieldValues,
  decodePrerun,
  decodePrerunValue,
  encodeFieldValue,
  encodeFieldValues,
  encodePrerun,
  encodePrerunValue,
  FieldValueError,
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
} from "./elements.ts";
export { guidanceHint } from "./guidance.ts";
export {
  editableInSlack,
  type FieldAnswer,
  type FormField,
  isEmptyAnswer,
  SLACK_TEXT_INPUT_MAX,
  TEXT_LIMITS,
} from "./model.ts";
export { searchFieldOptions } from "./options.ts";
export {
  type KickoffState,
  type KickoffStateValues,
  MESSAGES as KICKOFF_MESSAGES,
  readKickoffState,
} from "./state.ts";
export { decodeTaskForm, encodeTaskdata, taskdataChanges } from "./taskdata.ts";
