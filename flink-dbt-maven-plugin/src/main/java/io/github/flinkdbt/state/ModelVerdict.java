package io.github.flinkdbt.state;

import java.util.List;

/**
 * A streaming model's verdict against the baseline.
 *
 * @param policy the model's {@code on_state_incompatible}: fail, reprocess or allow_state_loss
 * @param path the model's file, for the message that tells how to change the policy
 */
public record ModelVerdict(
        String name, Verdict verdict, List<String> reasons, List<OperatorCheck> operators, String policy, String path) {

    /** Whether this verdict stops the build: incompatible and the policy is {@code fail}. */
    public boolean failsBuild() {
        return verdict == Verdict.STATE_INCOMPATIBLE && "fail".equals(policy);
    }
}
