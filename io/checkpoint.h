/* checkpoint.h: the training state on disk, and the trained model.
 *
 * checkpoint.h5 (written at every epoch and on SIGTERM/SIGUSR1; resuming
 * from it gives the same bits as an uninterrupted run):
 *   params, velocity [nparams] float32; state [nstate] float32 (BN moving
 *   statistics); best_params, best_state (the lowest validation loss so far,
 *   once an epoch has finished); history [epochs done][4] float64 (loss,
 *   accuracy, val_loss, val_accuracy); attributes epoch (epochs done), step
 *   (steps done in the next epoch), global_step, best_epoch, best_val_loss,
 *   run_loss, run_correct (sums over the steps done in the unfinished epoch),
 *   config (the whole configuration: provenance), tensors; group identity
 *   (io/identity_h5.h: the training keys and input_store, the digest of
 *   the feature store's identity); group store_identity (the feature store's
 *   whole identity, so a model says which tower made its features).
 * model.h5: params, state (the best model) with attributes config, model,
 *   branches, epoch (the best epoch), epochs (epochs trained), val_loss,
 *   tensors (name offset count shape per line); groups identity and
 *   store_identity as above.
 * Both are written with the serial driver by one rank, under a temporary
 * name renamed when complete. A file made by another training (another
 * configuration or feature store; train.epochs may differ) is refused with
 * one line naming the first identity entry that differs. */
#ifndef MF_IO_CHECKPOINT_H
#define MF_IO_CHECKPOINT_H
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/heads.h"
#include "core/identity.h"

enum { MF_HIST_LOSS, MF_HIST_ACC, MF_HIST_VAL_LOSS, MF_HIST_VAL_ACC, MF_HIST_COLS };

typedef struct mf_train_state {
    size_t nparams, nstate;
    float *params, *velocity, *state;
    float *best_params, *best_state;  /* meaningful once best_epoch > 0 */
    int epoch;                        /* epochs done */
    int64_t step;                     /* steps done in epoch `epoch` (0-based) */
    int64_t global_step;
    double run_loss, run_correct;     /* sums over those steps */
    int best_epoch;                   /* 1-based; 0 = none yet */
    double best_val_loss;
    int hist_cap;                     /* rows allocated */
    double *hist;                     /* [hist_cap][MF_HIST_COLS]; rows 0..epoch-1 valid */
} mf_train_state;

/* Allocates (zeroed) for a head and at most `epochs` epochs. 0 or -1. */
int mf_train_state_alloc(mf_train_state *t, size_t nparams, size_t nstate, int epochs);
void mf_train_state_free(mf_train_state *t);

/* The group holding the feature store's whole identity in checkpoint.h5
 * and model.h5 (what `predict` needs to rebuild the features: backbone.arch,
 * weights_sha256, blocks, patches.*, extract.*). */
#define MF_STORE_IDENTITY_GROUP "store_identity"

/* Writes path (temporary name + rename); store (may be NULL) = the feature
 * store's identity, written as the group MF_STORE_IDENTITY_GROUP. */
int mf_ckpt_write(const char *path, const mf_train_state *t, const mf_head *h, const mf_identity *id,
                  const mf_identity *store, const char *config, mf_err *e);
/* Reads path into t (allocated for the same head); refuses it if its
 * identity is not want's, or if it has run more epochs than t can hold. */
int mf_ckpt_read(const char *path, mf_train_state *t, const mf_identity *want, mf_err *e);

/* Writes model.h5 (temporary name + rename); store as for mf_ckpt_write. */
int mf_model_write(const char *path, const mf_head *h, const float *params, const float *state,
                   const mf_identity *id, const mf_identity *store, const char *config, int best_epoch, int epochs,
                   double val_loss, mf_err *e);
/* Checks model.h5: *epochs = epochs trained. Refuses (one line) a model
 * whose identity is not want's (want NULL: any mammofuse model). */
int mf_model_check(const char *path, const mf_identity *want, int *epochs, mf_err *e);
/* Reads the model's weights for a head made from its config (evaluate). */
int mf_model_read(const char *path, const mf_head *h, float *params, float *state, mf_err *e);


#endif
